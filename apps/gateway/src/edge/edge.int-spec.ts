import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { useGatewayHarness } from '../testing/gateway-test-env';

const PROBLEM_JSON = /^application\/problem\+json/;
const MAX_BODY_BYTES = 4096;
const ALLOWED_ORIGIN = 'https://app.example.com';

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends a body in chunks without a Content-Length (chunked), a pause between chunks, and stops
 * sending once an answer arrives, as a client streaming a large upload would.
 */
function sendChunked(url: string, headers: Record<string, string>, chunks: Buffer[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const next = (index: number) => {
      if (answered || req.destroyed) return;
      if (index === chunks.length) {
        req.end();
        return;
      }
      req.write(chunks[index], () => setTimeout(() => next(index + 1), 20));
    };
    next(0);
  });
}

describe('gateway edge: security headers, CORS, body size, docs (real upstream servers)', () => {
  const harness = useGatewayHarness({
    CORS_ALLOWED_ORIGINS: `${ALLOWED_ORIGIN},http://localhost:3000`,
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
  });
  let token: string;

  beforeAll(async () => {
    token = await harness.issuer.sign();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${harness.gateway.url}${path}`, init);
  const bearer = () => ({ authorization: `Bearer ${token}` });

  describe('security headers (helmet)', () => {
    it.each([
      ['a proxied answer', '/api/patients', true],
      ['a 401 from the token check', '/api/patients', false],
      ['a 404 from the router', '/api/nothing', true],
      ['health', '/health/live', false],
      ['metrics', '/metrics', false],
      ['the API documents', '/api-docs', false],
      ["the gateway's own document", '/api-docs/gateway', false],
    ])('are on %s (%s)', async (_what, path, withToken) => {
      const response = await call(path, { headers: withToken ? bearer() : {} });
      await response.arrayBuffer();
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });

    it('give the docs page a policy that lets Swagger UI load its own scripts, styles and documents only', async () => {
      const response = await call('/docs');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-eval|https?:/);
    });
  });

  describe('CORS', () => {
    it('answers an allowed origin with Access-Control-Allow-Origin and readable rate-limit headers', async () => {
      const response = await call('/api/patients', { headers: { ...bearer(), origin: ALLOWED_ORIGIN } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(response.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
      expect(response.headers.get('vary')).toContain('Origin');
    });

    it('gives another origin no CORS headers (the browser withholds the answer)', async () => {
      const response = await call('/api/patients', { headers: { ...bearer(), origin: 'https://evil.example.com' } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toContain('Origin');
    });

    it('answers an allowed preflight itself with 204, without a token and without calling a service', async () => {
      const before = harness.stubs.patient.seen.length;
      const response = await call('/api/patients/p1', {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization.*Content-Type/);
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(harness.stubs.patient.seen.length).toBe(before);
    });

    it('refuses a preflight from another origin with 403 problem+json and no CORS headers', async () => {
      const before = harness.stubs.patient.seen.length;
      const response = await call('/api/patients', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'DELETE' },
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(harness.stubs.patient.seen.length).toBe(before);
    });
  });

  describe('body size limit', () => {
    it('passes a body of exactly MAX_BODY_BYTES', async () => {
      const body = 'x'.repeat(MAX_BODY_BYTES);
      const response = await call('/api/patients', { method: 'POST', headers: { ...bearer(), 'content-type': 'text/plain' }, body });
      expect(response.status).toBe(201);
      expect(harness.stubs.patient.seen.at(-1)?.body).toBe(body);
    });

    it('answers 413 problem+json to a larger Content-Length without calling the service or checking the token', async () => {
      const before = harness.stubs.patient.seen.length;
      const response = await call('/api/patients', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(MAX_BODY_BYTES + 1) });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 413, title: 'Content Too Large', detail: `The request body is larger than ${MAX_BODY_BYTES} bytes` });
      expect(harness.stubs.patient.seen.length).toBe(before);
    });

    it('reads an oversized body to its end before the 413, so a client still sending gets the answer, not a broken pipe', async () => {
      // More than the socket buffers hold: a gateway that closed at once would fail the later writes.
      const chunks = Array.from({ length: 8 }, () => Buffer.alloc(256 * 1024, 'w'));
      // Settles once the answer is read and the body is sent in full, or the sending failed.
      const answer = await new Promise<{ status?: number; sent?: boolean; error?: string }>((resolve) => {
        const result: { status?: number; sent?: boolean; error?: string } = {};
        const settle = (_update: unknown) => (result.error || (result.status && result.sent)) && resolve(result);
        const req = httpRequest(`${harness.gateway.url}/api/patients`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'content-length': String(chunks.length * chunks[0].length) },
        });
        req.on('response', (response) => {
          response.resume();
          response.on('end', () => settle(Object.assign(result, { status: response.statusCode })));
        });
        req.on('error', (error) => settle(Object.assign(result, { error: error.message })));
        // Slowly, as a loaded client sends: the gateway decides on the header long before the body is in.
        const send = (index: number) => {
          if (index === chunks.length) return void req.end(() => settle(Object.assign(result, { sent: true })));
          req.write(chunks[index]);
          setTimeout(() => send(index + 1), 25);
        };
        send(0);
      });
      expect(answer).toEqual({ status: 413, sent: true });
    });

    it('answers 413 to a chunked body once it streams past the limit; the service never gets a whole request', async () => {
      const before = harness.stubs.patient.seen.length;
      const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1024, 'y'));
      const answer = await sendChunked(`${harness.gateway.url}/api/patients`, { ...bearer(), 'content-type': 'text/plain' }, chunks);
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toMatchObject({ status: 413 });
      expect(harness.stubs.patient.seen.length).toBe(before);
    });

    it('passes a chunked body under the limit whole', async () => {
      const chunks = [Buffer.from('a'.repeat(1000)), Buffer.from('b'.repeat(1000))];
      const answer = await sendChunked(`${harness.gateway.url}/api/patients`, { ...bearer(), 'content-type': 'text/plain' }, chunks);
      expect(answer.status).toBe(201);
      expect(harness.stubs.patient.seen.at(-1)?.body).toBe(`${'a'.repeat(1000)}${'b'.repeat(1000)}`);
    });

    it('counts a chunked body that asks for 100-continue too', async () => {
      const chunks = Array.from({ length: 6 }, () => Buffer.alloc(1024, 'z'));
      const answer = await sendChunked(`${harness.gateway.url}/api/patients`, { ...bearer(), expect: '100-continue' }, chunks);
      expect(answer.status).toBe(413);
    });
  });

  describe('the Swagger UI at /docs', () => {
    it('serves an HTML page that loads its own assets', async () => {
      const response = await call('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toContain('swagger-ui-bundle.js');
      expect(html).toContain('swagger-ui-init.js');
      const bundle = await call('/docs/swagger-ui-bundle.js');
      expect(bundle.status).toBe(200);
      expect(bundle.headers.get('content-type')).toMatch(/javascript/);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
    });

    it("lists every service's document at /api-docs/{name}, with the picker on", async () => {
      const init = await (await call('/docs/swagger-ui-init.js')).text();
      for (const name of ['auth', 'patients', 'billing', 'analytics', 'appointments', 'gateway']) {
        expect(init).toContain(`"url": "/api-docs/${name}"`);
        expect(init).toContain(`"name": "${name}"`);
      }
      expect(init).toContain('"validatorUrl": null');
    });
  });
});
