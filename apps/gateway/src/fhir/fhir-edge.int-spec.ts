import type { CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import { FHIR_JSON, FHIR_SURFACE } from '@pm/fhir';
import { fhirSchemaErrors } from '@pm/testing';
import { closedPortUrl, useGatewayHarness, type GatewayHarness } from '../testing/gateway-test-env';

jest.setTimeout(60_000);

const id = '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11';

async function fhirBody<T>(response: Response, status: number): Promise<T> {
  expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status, type: expect.stringContaining(FHIR_JSON) });
  return (await response.json()) as T;
}

/** The refusal as an OperationOutcome that validates, with the issue type FHIR gives the status. */
async function outcomeOf(response: Response, status: number, code: string): Promise<OperationOutcome> {
  const outcome = await fhirBody<OperationOutcome>(response, status);
  expect(fhirSchemaErrors(outcome as { resourceType: string })).toEqual([]);
  expect(outcome.issue).toEqual([expect.objectContaining({ code, severity: status >= 500 ? 'fatal' : 'error', diagnostics: expect.any(String) })]);
  return outcome;
}

const seenCount = (harness: GatewayHarness) => Object.values(harness.stubs).reduce((sum, stub) => sum + stub.seen.length, 0);

describe('the FHIR R4 edge at the gateway (stand-in services, real JWKS, real Redis)', () => {
  const harness = useGatewayHarness();
  const bearer = async (role: string) => `Bearer ${await harness.issuer.sign({ subject: `user-${role}`, claims: { role } })}`;
  const call = async (path: string, init: RequestInit & { role?: string } = {}) => {
    const { role, headers, ...rest } = init;
    return fetch(`${harness.gateway.url}${path}`, { ...rest, headers: { ...(headers as Record<string, string>), ...(role ? { authorization: await bearer(role) } : {}) } });
  };

  describe('GET /fhir/R4/metadata', () => {
    it('answers, without a token, a CapabilityStatement that validates against the R4 schema', async () => {
      const before = seenCount(harness);
      const statement = await fhirBody<CapabilityStatement>(await call('/fhir/R4/metadata'), 200);
      expect(fhirSchemaErrors(statement as { resourceType: string })).toEqual([]);
      expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: expect.arrayContaining(['json']) });
      expect(statement.rest).toEqual([expect.objectContaining({ mode: 'server', security: expect.objectContaining({ description: expect.stringContaining('Bearer') }) })]);
      expect(seenCount(harness)).toBe(before);
    });

    it('lists exactly the FHIR surface: each type with its interactions, search parameters, operations and profiles', async () => {
      const statement = await fhirBody<CapabilityStatement>(await call('/fhir/R4/metadata'), 200);
      const listed = statement.rest![0].resource!.map((resource) => ({
        type: resource.type,
        interactions: resource.interaction!.map((interaction) => interaction.code),
        searchParams: resource.searchParam!.map(({ name, type }) => ({ name, type })),
        operations: (resource.operation ?? []).map((operation) => operation.name),
        profiles: resource.supportedProfile ?? [],
      }));
      expect(listed).toEqual(
        FHIR_SURFACE.map((resource) => ({
          type: resource.type,
          interactions: [...resource.interactions],
          searchParams: resource.searchParams.map(({ name, type }) => ({ name, type })),
          operations: (resource.operations ?? []).map((operation) => operation.name),
          profiles: [...(resource.supportedProfiles ?? [])],
        })),
      );
      const patientSearch = statement.rest![0].resource!.find((resource) => resource.type === 'Patient')!.searchParam!;
      expect(patientSearch.find((param) => param.name === 'name')?.documentation).toMatch(/typo-tolerant/i);
    });

    it('is documented in the gateway OpenAPI document', async () => {
      const document = (await (await call('/api-docs/gateway')).json()) as { paths: Record<string, { get?: object }> };
      expect(document.paths['/fhir/R4/metadata']?.get).toBeDefined();
    });

    it('answers POST with 405 naming the methods it serves', async () => {
      const response = await call('/fhir/R4/metadata', { method: 'POST' });
      await outcomeOf(response, 405, 'not-supported');
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    });
  });

  describe('routing by resource type', () => {
    it('forwards an Appointment read to the appointment service on the same path, with the query', async () => {
      const response = await call(`/fhir/R4/Appointment?patient=Patient/${id}&date=ge2027-01-01`, { role: 'NURSE' });
      expect(response.status).toBe(200);
      expect(harness.stubs.appointment.seen.at(-1)).toMatchObject({ method: 'GET', url: `/fhir/R4/Appointment?patient=Patient/${id}&date=ge2027-01-01` });
      await call(`/fhir/R4/Appointment/${id}`, { role: 'DOCTOR' });
      expect(harness.stubs.appointment.seen.at(-1)).toMatchObject({ url: `/fhir/R4/Appointment/${id}` });
    });

    it('sends each resource type of the surface to the service that owns it', () => {
      // The route table is built from FHIR_SURFACE; its spec checks each route's service and grants.
      expect(FHIR_SURFACE.filter((resource) => resource.service === 'appointment').map((resource) => resource.type)).toEqual(['Appointment']);
    });
  });

  describe('refusals are OperationOutcomes in application/fhir+json', () => {
    it('401 without a token, with WWW-Authenticate, and the service is not called', async () => {
      const before = seenCount(harness);
      const response = await call(`/fhir/R4/Appointment/${id}`);
      await outcomeOf(response, 401, 'login');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(seenCount(harness)).toBe(before);
    });

    it('401 for a forged token', async () => {
      await outcomeOf(await call(`/fhir/R4/Appointment/${id}`, { headers: { authorization: `${await bearer('DOCTOR')}x` } }), 401, 'login');
    });

    it.each(['BILLING', 'ANALYST'])('403 for %s on Appointment, as on the REST appointments', async (role) => {
      const before = seenCount(harness);
      const outcome = await outcomeOf(await call(`/fhir/R4/Appointment?patient=${id}`, { role }), 403, 'forbidden');
      expect(outcome.issue[0].diagnostics).toContain(`The ${role} role may not GET`);
      expect(seenCount(harness)).toBe(before);
    });

    it.each(['/fhir/R4/Encounter', `/fhir/R4/Encounter/${id}`, '/fhir/R4/', '/fhir/R5/Patient', `/fhir/R4/Appointment/${id}/_history`])(
      '404 for %s, before any token check',
      async (path) => {
        const before = seenCount(harness);
        await outcomeOf(await call(path), 404, 'not-found');
        expect(seenCount(harness)).toBe(before);
      },
    );

    it.each([
      ['DELETE', `/fhir/R4/Appointment/${id}`, 'GET, HEAD'],
      ['POST', '/fhir/R4/Appointment', 'GET, HEAD'],
      ['PUT', `/fhir/R4/Patient/${id}`, 'GET, HEAD'],
    ])('405 for %s %s, allowing %s', async (method, path, allow) => {
      const response = await call(path, { method, role: 'ADMIN', headers: { 'content-type': FHIR_JSON }, body: method === 'DELETE' ? undefined : '{}' });
      await outcomeOf(response, 405, 'not-supported');
      expect(response.headers.get('allow')).toBe(allow);
    });

    it('400 for an ambiguous path', async () => {
      await outcomeOf(await call('/fhir/R4/Appointment/..%2F..%2Fapi%2Fpatients'), 400, 'invalid');
    });

    it('keeps problem+json on the REST routes', async () => {
      const response = await call('/api/appointments');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  });
});

describe('the FHIR edge when limits are hit or the service is down', () => {
  const harness = useGatewayHarness(async () => ({ APPOINTMENT_SERVICE_URL: await closedPortUrl(), MAX_BODY_BYTES: '1024' }));
  const doctor = async () => `Bearer ${await harness.issuer.sign({ claims: { role: 'DOCTOR' } })}`;

  it('503 OperationOutcome when the owning service is unreachable', async () => {
    const outcome = await outcomeOf(await fetch(`${harness.gateway.url}/fhir/R4/Appointment/${id}`, { headers: { authorization: await doctor() } }), 503, 'transient');
    expect(outcome.issue[0].diagnostics).toBe('The appointment service is unavailable');
  });

  it('413 OperationOutcome for a body past MAX_BODY_BYTES', async () => {
    const response = await fetch(`${harness.gateway.url}/fhir/R4/Patient`, {
      method: 'POST',
      headers: { authorization: await doctor(), 'content-type': FHIR_JSON },
      body: JSON.stringify({ resourceType: 'Patient', text: 'x'.repeat(4096) }),
    });
    await outcomeOf(response, 413, 'exception');
  });
});

describe('the FHIR edge when the upstream is silent, or the caller too quick', () => {
  const harness = useGatewayHarness({ UPSTREAM_TIMEOUT_MS: '300', RATE_LIMIT_ANONYMOUS_POINTS: '3' });

  it('504 OperationOutcome when the owning service does not answer in time', async () => {
    const authorization = `Bearer ${await harness.issuer.sign({ claims: { role: 'DOCTOR' } })}`;
    await outcomeOf(await fetch(`${harness.gateway.url}/fhir/R4/Appointment/hang`, { headers: { authorization } }), 504, 'timeout');
  });

  it('429 OperationOutcome past the anonymous limit, the metadata counted like every public page', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i += 1) {
      last = await fetch(`${harness.gateway.url}/fhir/R4/metadata`);
      statuses.push(last.status);
      if (last.status === 200) await last.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    await outcomeOf(last!, 429, 'throttled');
  });
});
