import fc from 'fast-check';
import { deeplyNested, describeJson, renderJson } from './json-text';
import { operationsOf, resolver } from './openapi';
import { encodeUriPart, invalidValue, knownNastyRequests, requestArbitrary, validValue, type FuzzRequest } from './request-arbitraries';
import { prepare } from './send-request';

const document = {
  paths: {
    '/appointments': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Create' } } } }, responses: {} } },
    '/appointments/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: {} } },
    '/health/live': { get: { responses: {} } },
    '/fhir/R4/Appointment/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: {} } },
  },
  components: {
    schemas: {
      Create: {
        type: 'object',
        properties: {
          patientId: { type: 'string', format: 'uuid' },
          startTime: { type: 'string', format: 'date-time' },
          endTime: { type: 'string', format: 'date-time' },
          reason: { type: 'string', maxLength: 500 },
        },
        required: ['patientId', 'startTime', 'endTime', 'reason'],
      },
    },
  },
};
const resolve = resolver(document);
const known = { byName: { patientId: '123e4567-e89b-12d3-a456-426614174000' }, byPath: {} };
const create = resolve({ $ref: '#/components/schemas/Create' });

describe('OpenAPI operations', () => {
  const operations = operationsOf('appointment', document, '/api');

  it('lists every method of every path with its public path where the route table sends it to the same service', () => {
    expect(operations.map((o) => [o.id, o.gatewayPath])).toEqual([
      ['POST appointment:/appointments', '/api/appointments'],
      ['GET appointment:/appointments/{id}', '/api/appointments/{id}'],
      // The gateway publishes no /api/health: that route is fuzzed straight at the service only.
      ['GET appointment:/health/live', undefined],
      // FHIR paths are published at the gateway's root, not under the document's prefix.
      ['GET appointment:/fhir/R4/Appointment/{id}', '/fhir/R4/Appointment/{id}'],
    ]);
  });
});

describe('valid values', () => {
  it('satisfy the schema: required fields, known ids, an end after the start', () => {
    fc.assert(
      fc.property(validValue(create, resolve, known), (value: any) => {
        expect(value.patientId).toBe(known.byName.patientId);
        expect(Date.parse(value.endTime)).toBeGreaterThan(Date.parse(value.startTime));
        expect(value.reason.length).toBeLessThanOrEqual(500);
      }),
    );
  });
});

describe('invalid values', () => {
  it('include the classes the issue names: NUL, lone surrogates, right-to-left marks, 4-byte characters, deep nesting', () => {
    const labels = new Set(fc.sample(invalidValue({ type: 'string', format: 'email' }, resolve, known, 'email'), { numRuns: 3000, seed: 1 }).map((v) => v.label.split(':')[0]));
    for (const label of ['nul', 'lone-high-surrogate', 'right-to-left-mark', '4-byte-emoji', 'deep-array-5000', 'oversized-5000', 'wrong-type']) {
      expect(labels).toContain(label);
    }
  });

  it('mutate one field of an otherwise valid object', () => {
    const samples = fc.sample(invalidValue(create, resolve, known), { numRuns: 500, seed: 2 });
    const reasonWithNul = samples.find((s) => s.label === '.reason:nul');
    expect(reasonWithNul).toBeDefined();
    expect((reasonWithNul!.value as any).patientId).toBe(known.byName.patientId);
    expect((reasonWithNul!.value as any).reason).toContain('\u0000');
  });
});

describe('requests', () => {
  const [post] = operationsOf('appointment', document, '/api');

  it('are the same for the same seed (a failure replays)', () => {
    const draw = () => fc.sample(requestArbitrary(post, { resolve, known }), { numRuns: 20, seed: 42 }).map((r) => [r.inputClass, r.caller]);
    expect(draw()).toEqual(draw());
  });

  it('send exactly the generated body, deeply nested parts included, and describe it in a line', () => {
    const request: FuzzRequest = { caller: 'ADMIN', inputClass: 'body:deep', pathParams: {}, query: [], headers: {}, body: { kind: 'json', value: { a: deeplyNested(5000, 'array') } } };
    const prepared = prepare(request, 'POST', '/appointments', 'http://127.0.0.1:1', 'token', false);
    expect(prepared.body!.toString()).toBe(`{"a":${'['.repeat(5000)}0${']'.repeat(5000)}}`);
    expect(prepared.bodyDescription).toBe('{"a":«array nested 5000 levels deep»}');
    expect(JSON.parse(renderJson({ s: '\ud800' })).s).toBe('\ud800');
    expect(describeJson('x'.repeat(1000))).toContain('1000 chars');
  });
});

describe('encodeUriPart', () => {
  it('percent-encodes a lone surrogate as its three (invalid) UTF-8 bytes, and pairs as UTF-8', () => {
    expect(encodeUriPart('a\ud800b')).toBe('a%ED%A0%80b');
    expect(encodeUriPart('\u{1F600}/')).toBe('%F0%9F%98%80%2F');
  });
});

describe('known-nasty requests', () => {
  const [post, get] = operationsOf('appointment', document, '/api');

  it('put NUL, a lone surrogate, a right-to-left override and a 4-byte character into each field of an otherwise valid body', () => {
    const examples = knownNastyRequests(post, { resolve, known, grantedRoles: ['ADMIN'] }, 7);
    const reason = examples.find((e) => e.inputClass === 'body.reason:nul')!;
    const body = (reason.body as { value: any }).value;
    expect(body.reason).toContain('\u0000');
    expect(body.patientId).toBe(known.byName.patientId);
    expect(reason.caller).toBe('ADMIN');
    expect(examples.map((e) => e.inputClass)).toEqual(expect.arrayContaining(['body.patientId:lone-high-surrogate', 'body.endTime:4-byte-emoji', 'body:deep-array-5000', 'body:deep-object-5000']));
  });

  it('do the same to path parameters', () => {
    const examples = knownNastyRequests(get, { resolve, known }, 7);
    expect(examples.map((e) => e.inputClass)).toEqual(['path.id:nul', 'path.id:lone-high-surrogate', 'path.id:right-to-left-override', 'path.id:4-byte-emoji']);
    expect(examples[0].caller).toBe('ANONYMOUS');
  });
});
