import type { GatewayConfig } from '../config/gateway.config';
import type { UpstreamService } from '../routes/upstream-services';
import { ApiDocsService } from './api-docs.service';
import { ApiDocumentUnavailableError, type UpstreamApiDocsClient } from './upstream-api-docs.client';
import { typedFake } from '@pm/testing';

class FakeApiDocsClient implements Pick<UpstreamApiDocsClient, 'fetchDocument'> {
  readonly asked: UpstreamService[] = [];
  down = false;
  paths: unknown = { '/x': {} };

  async fetchDocument(service: UpstreamService): Promise<Record<string, unknown>> {
    this.asked.push(service);
    if (this.down) throw new ApiDocumentUnavailableError('down');
    return { openapi: '3.0.0', info: { title: service }, paths: this.paths, servers: [{ url: 'http://10.0.0.5:4000' }] };
  }
}

describe('ApiDocsService', () => {
  let client: FakeApiDocsClient;
  let service: ApiDocsService;

  beforeEach(() => {
    client = new FakeApiDocsClient();
    service = new ApiDocsService(typedFake<UpstreamApiDocsClient>(client), { UPSTREAM_TIMEOUT_MS: 1000 } as GatewayConfig);
  });

  it.each([
    ['auth', 'auth', '/auth'],
    ['patients', 'patient', '/api'],
    ['billing', 'billing', '/api'],
    ['analytics', 'analytics', '/api'],
    ['appointments', 'appointment', '/api'],
  ])('serves %s from the %s service with its paths under %s', async (name, upstream, serverUrl) => {
    const document = await service.documentFor(name);
    expect(client.asked).toEqual([upstream]);
    expect(document).toMatchObject({ info: { title: upstream }, paths: { '/x': {} }, servers: [{ url: serverUrl }] });
  });

  it("publishes a service's FHIR paths at the gateway's root, its REST paths under the prefix", async () => {
    client.paths = { '/appointments': { get: {} }, '/fhir/R4/Appointment': { get: {} } };
    const document = await service.documentFor('appointments');
    expect(document.paths).toEqual({ '/appointments': { get: {} }, '/fhir/R4/Appointment': { get: {}, servers: [{ url: '/' }] } });
    client.paths = undefined;
    expect((await service.documentFor('appointments')).paths).toBeUndefined();
  });

  it.each(['nope', 'patient', 'toString', '__proto__'])('answers 404 for %p without asking a service', async (name) => {
    await expect(service.documentFor(name)).rejects.toMatchObject({ status: 404 });
    expect(client.asked).toEqual([]);
  });

  it('answers 503 naming the service when it is down', async () => {
    client.down = true;
    await expect(service.documentFor('patients')).rejects.toMatchObject({
      status: 503,
      response: { detail: 'The patient service is unavailable' },
    });
  });
});
