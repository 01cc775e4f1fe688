import { closedPortUrl, useGatewayHarness } from '../testing/gateway-test-env';

interface OpenApiDocument {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
}

describe('gateway API documents (real upstream servers)', () => {
  const harness = useGatewayHarness(async () => ({ ANALYTICS_SERVICE_URL: await closedPortUrl() }));

  const get = (path: string) => fetch(`${harness.gateway.url}${path}`);

  it.each([
    ['patients', 'patients service', '/api'],
    ['appointments', 'appointments service', '/api'],
    ['billing', 'billing service', '/api'],
    ['auth', 'auth service', '/auth'],
  ])("returns the %s service's document with its paths under the gateway prefix", async (name, title, serverUrl) => {
    const response = await get(`/api-docs/${name}`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(document).toMatchObject({ openapi: '3.0.0', info: { title }, servers: [{ url: serverUrl }] });
    expect(Object.keys(document.paths)).toHaveLength(1);
  });

  it('answers 503 problem+json naming a service that is down', async () => {
    const response = await get('/api-docs/analytics');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ detail: 'The analytics service is unavailable' });
  });

  it('answers 404 problem+json for an unknown name', async () => {
    const response = await get('/api-docs/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it("serves the gateway's own document, which documents /health/system and /api-docs/{name}", async () => {
    const response = await get('/api-docs/gateway');
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiDocument;
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/system', '/api-docs/{name}', '/health/ready']));
    expect(document.components.schemas).toHaveProperty('SystemHealthResponse');
  });
});
