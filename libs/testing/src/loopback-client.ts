import { randomInt } from 'node:crypto';
import { request } from 'node:http';

/**
 * A loopback address of its own (127.0.0.0/8 all reaches this machine), so one test's client is
 * counted apart from every other's by address-based limits, without any forwarding header.
 */
export function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface FetchFromInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds before the request is given up; default 15 s. */
  timeoutMs?: number;
}

/** `fetch` from a chosen local address (Node's fetch cannot bind one): the server sees that peer. */
export function fetchFrom(localAddress: string, url: string, init: FetchFromInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress, timeout: init.timeoutMs ?? 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
        }
        const status = res.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within ${init.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface JsonCallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as JSON (with its Content-Type). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The loopback address to send from (freshLoopbackAddress); 127.0.0.1 when absent. */
  from?: string;
  timeoutMs?: number;
}

export interface JsonAnswer<T = any> {
  status: number;
  headers: Headers;
  /** Parsed when it is JSON, else the text; undefined when empty. */
  body: T;
  /** From sending the request to the end of the answer. */
  elapsedMs: number;
}

/** The headers and body of a JSON call: Content-Type when there is a body, Authorization when there is a token. */
export function jsonRequest(options: Pick<JsonCallOptions, 'token' | 'body' | 'headers'>): { headers: Record<string, string>; body: string | undefined } {
  return {
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  };
}

/** One HTTP call as an outside client makes it, from a loopback address of its own when `from` is given. */
export async function callJson<T = any>(method: string, url: string, options: JsonCallOptions = {}): Promise<JsonAnswer<T>> {
  const started = Date.now();
  const response = await fetchFrom(options.from ?? '127.0.0.1', url, { method, ...jsonRequest(options), timeoutMs: options.timeoutMs });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T, elapsedMs: Date.now() - started };
}
