import fc from 'fast-check';
import { JsonLike, RawJson, deeplyNested, oversizedString } from './json-text';
import { MALFORMED_BODIES, NASTY_NUMBERS, NASTY_STRINGS, ODD_CHARACTERS, type OddCharacter } from './nasty-values';
import type { Operation, Schema } from './openapi';

export const ROLES = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST'] as const;
export type Caller = (typeof ROLES)[number] | 'ANONYMOUS';

/** A value plus what was done to it ("email:lone-high-surrogate"), for grouping failures. */
export interface Labelled<T> {
  value: T;
  label: string;
}

export type FuzzBody =
  | { kind: 'json'; value: JsonLike }
  | { kind: 'bytes'; contentType?: string; bytes: Buffer; label: string };

/** One generated request, before it is addressed to the gateway or a service. */
export interface FuzzRequest {
  caller: Caller;
  /** What was made invalid, e.g. `body.email:lone-high-surrogate` or `valid`. */
  inputClass: string;
  /** Path parameters; `encoded` ones are sent as they are (broken percent-encoding). */
  pathParams: Record<string, string | { encoded: string }>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: FuzzBody;
}

/** Real ids the fuzzer may use to reach deeper code (its own entities, never demo data it could harm). */
export interface KnownIds {
  /** By body field or query parameter name (`patientId`, `doctorId`). */
  byName: Record<string, string>;
  /** The path parameter's value by the route's path template (`/patients/{id}/restore`). */
  byPath: Record<string, string>;
}

type Resolve = (schema: Schema) => Schema;

const DEPTHS = [65, 1000, 5000, 20_000];
const oddCharacterNames = Object.keys(ODD_CHARACTERS) as OddCharacter[];

/** A string that fits the schema, from its format, enum, pattern and limits (or a known id by name). */
function validString(schema: Schema, name: string, known: KnownIds): fc.Arbitrary<string> {
  if (schema.enum?.length) return fc.constantFrom(...(schema.enum as string[]));
  if (known.byName[name]) return fc.constant(known.byName[name]);
  const hex = fc.stringMatching(/^[0-9a-f]{8}$/);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return hex.map((id) => `fuzz.${id}@example.com`);
    case 'date':
      return fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      // Far in the future, so bookings never meet another suite's.
      return fc
        .tuple(fc.integer({ min: 0, max: 7000 }), fc.integer({ min: 16, max: 30 }))
        .map(([day, halfHour]) => new Date(Date.UTC(2080, 0, 1 + day, 0, halfHour * 30)).toISOString());
    case 'password':
      return hex.map((id) => `Fz-${id}-quiet Harbor 93 lantern`);
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (/date$|^from$|^to$/i.test(name)) return fc.constantFrom('2024-03-01', '2024-03-31');
  if (/currency/i.test(name)) return fc.constantFrom('EUR', 'USD');
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  return fc.string({ minLength: Math.max(schema.minLength ?? 1, 1), maxLength: Math.max(maxLength, schema.minLength ?? 1), unit: fc.constantFrom(...'abcdefghij klmnoXYZ0123'.split('')) });
}

/** A value that satisfies the schema (as far as a schema can say). */
export function validValue(schema: Schema, resolve: Resolve, known: KnownIds, name = ''): fc.Arbitrary<JsonLike> {
  const s = resolve(schema);
  if (s.enum?.length) return fc.constantFrom(...(s.enum as JsonLike[]));
  switch (s.type) {
    case 'string':
      return validString(s, name, known);
    case 'integer':
      return fc.integer({ min: s.minimum ?? 1, max: Math.min(s.maximum ?? 5000, 5000) });
    case 'number':
      return fc.integer({ min: s.minimum ?? 0, max: Math.min(s.maximum ?? 5000, 5000) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(s.items ?? { type: 'string' }, resolve, known, name), { maxLength: 3 });
    case 'object':
    default: {
      const properties = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, validValue(property, resolve, known, key)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((key) => key in properties) }).map(consistentTimes) as fc.Arbitrary<JsonLike>;
    }
  }
}

/** An end after its start, so a booking body is valid as a whole. */
function consistentTimes(value: Record<string, JsonLike>): Record<string, JsonLike> {
  if (typeof value.startTime === 'string' && 'endTime' in value) {
    return { ...value, endTime: new Date(Date.parse(value.startTime) + 30 * 60_000).toISOString() };
  }
  return value;
}

/** The characters the issue names come up most: NUL, lone surrogates, right-to-left, 4-byte. */
const HEAVY_ODD_CHARACTERS: readonly OddCharacter[] = ['nul', 'lone-high-surrogate', 'lone-low-surrogate', 'right-to-left-mark', '4-byte-emoji'];
const oddCharacter: fc.Arbitrary<OddCharacter> = fc.oneof(
  { arbitrary: fc.constant<OddCharacter>('nul'), weight: 1 },
  { arbitrary: fc.constantFrom(...HEAVY_ODD_CHARACTERS), weight: 2 },
  { arbitrary: fc.constantFrom(...oddCharacterNames), weight: 1 },
);

/** A string with one odd character put somewhere into a valid one. */
const withOddCharacter = (base: fc.Arbitrary<string>): fc.Arbitrary<Labelled<string>> =>
  fc.tuple(base, oddCharacter, fc.nat()).map(([text, odd, at]) => ({ value: insertAt(text, ODD_CHARACTERS[odd], at), label: odd }));

function insertAt(text: string, insert: string, at: number): string {
  const position = text.length ? at % (text.length + 1) : 0;
  return text.slice(0, position) + insert + text.slice(position);
}

/** Every string in a value given the same odd character (so it reaches whichever field breaks). */
function everyStringWith(value: JsonLike, odd: string, at: number): JsonLike {
  if (typeof value === 'string') return insertAt(value, odd, at);
  if (Array.isArray(value)) return value.map((item) => everyStringWith(item, odd, at));
  if (value && typeof value === 'object' && !(value instanceof RawJson)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, everyStringWith(item, odd, at)]));
  }
  return value;
}

/** A valid value with an odd character in every string of it. */
export function oddInEveryString(schema: Schema, resolve: Resolve, known: KnownIds): fc.Arbitrary<Labelled<JsonLike>> {
  return fc.tuple(validValue(schema, resolve, known), oddCharacter, fc.nat()).map(([value, odd, at]) => ({ value: everyStringWith(value, ODD_CHARACTERS[odd], at), label: odd }));
}

/** Any mutation of a value of this schema into something it should refuse. */
export function invalidValue(schema: Schema, resolve: Resolve, known: KnownIds, name = ''): fc.Arbitrary<Labelled<JsonLike>> {
  const s = resolve(schema);
  const valid = validValue(s, resolve, known, name);
  const asText = valid.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  const options: fc.WeightedArbitrary<Labelled<JsonLike>>[] = [
    { arbitrary: withOddCharacter(asText), weight: 4 },
    { arbitrary: fc.constantFrom(...Object.entries(NASTY_STRINGS)).map(([label, value]) => ({ value, label: `nasty:${label}` })), weight: 2 },
    {
      arbitrary: fc.constantFrom(...Object.entries(NASTY_NUMBERS)).map(([label, text]) => ({ value: new RawJson(text, text.length > 20 ? `${text.length}-digit number` : text), label: `number:${label}` })),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom<JsonLike>(null, true, false, 0, -1, [], {}, ['a'], { a: 1 }).map((value) => ({ value, label: `wrong-type:${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}` })),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...DEPTHS).chain((depth) => fc.constantFrom<'array' | 'object'>('array', 'object').map((kind) => ({ value: deeplyNested(depth, kind), label: `deep-${kind}-${depth}` }))), weight: 1 },
    {
      arbitrary: fc.constantFrom(256, 5_000, 60_000).chain((length) => fc.constantFrom('A', '\u{1F600}', 'é').map((unit) => ({ value: oversizedString(length, unit), label: `oversized-${length}` }))),
      weight: 1,
    },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((value) => ({ value, label: 'random-unicode' })), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value: value as JsonLike, label: 'random-json' })), weight: 1 },
  ];
  // An object is mostly mutated field by field: a valid rest carries the bad field deep inside.
  if (s.type === 'object' && s.properties) options.push({ arbitrary: objectMutation(s, resolve, known), weight: 20 });
  return fc.oneof(...options);
}

/** A valid object with one property mutated, dropped or joined by a stranger. */
function objectMutation(s: Schema, resolve: Resolve, known: KnownIds): fc.Arbitrary<Labelled<JsonLike>> {
  const properties = Object.entries(s.properties ?? {});
  const valid = validValue(s, resolve, known) as fc.Arbitrary<Record<string, JsonLike>>;
  const mutateOne = fc.constantFrom(...properties).chain(([key, property]) =>
    fc.tuple(valid, invalidValue(property, resolve, known, key)).map(([object, bad]) => ({ value: { ...object, [key]: bad.value }, label: `.${key}:${bad.label}` })),
  );
  const dropRequired = (s.required ?? []).length
    ? fc.tuple(valid, fc.constantFrom(...(s.required ?? []))).map(([object, key]) => {
        const { [key]: _dropped, ...rest } = object;
        return { value: rest, label: `.${key}:missing` };
      })
    : undefined;
  const extra = fc
    .tuple(valid, fc.constantFrom('__proto__', 'constructor', 'role', 'id', 'isAdmin', 'x'.repeat(300)), fc.jsonValue({ maxDepth: 2 }))
    .map(([object, key, value]) => ({ value: { ...object, [key]: value as JsonLike }, label: `:extra-property-${key.slice(0, 20)}` }));
  return fc.oneof({ arbitrary: mutateOne, weight: 6 }, ...(dropRequired ? [dropRequired] : []), extra);
}

/** Bodies that are not a JSON object at all: malformed text, other media types, deep or huge. */
const brokenBody: fc.Arbitrary<Labelled<FuzzBody>> = fc.oneof(
  fc.constantFrom(...Object.entries(MALFORMED_BODIES)).map(([label, { contentType, bytes }]) => ({ value: { kind: 'bytes' as const, contentType, bytes, label }, label: `malformed:${label}` })),
  fc.constantFrom(...DEPTHS).chain((depth) =>
    fc.constantFrom<'array' | 'object'>('array', 'object').map((kind) => ({ value: { kind: 'json' as const, value: deeplyNested(depth, kind) }, label: `deep-${kind}-${depth}` })),
  ),
  // Above the documented 1 MiB limit: 413, not a crash.
  fc.constant({ value: { kind: 'json' as const, value: { padding: oversizedString(1_200_000) } }, label: 'oversized-1.2MB' }),
);

/** An HTTP header value as the client library can send it (UTF-8 bytes, no control characters). */
export function headerSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this strips
  return Buffer.from(text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ''), 'utf8').toString('latin1');
}

/** Header mutations: broken tokens and content negotiation, odd characters in ids and prefixes. */
const headerMutation: fc.Arbitrary<Labelled<Record<string, string>>> = fc.oneof(
  fc
    .constantFrom(
      ['empty-bearer', 'Bearer '],
      ['basic', 'Basic dXNlcjpwYXNz'],
      ['not-a-jwt', 'Bearer abc.def'],
      ['alg-none', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkFETUlOIn0.'],
      ['long-token', `Bearer ${'a'.repeat(4000)}`],
      ['two-schemes', 'Bearer a, Bearer b'],
      ['unicode-token', headerSafe('Bearer \u{1F600}\u202e\ud800')],
    )
    .map(([label, value]) => ({ value: { authorization: value }, label: `authorization:${label}` })),
  fc.constantFrom('text/html', 'application/xml', '*/*;q=0', 'application/problem+json;q=abc', headerSafe('\u{1F600}/\u202e')).map((accept) => ({ value: { accept }, label: `accept:${accept.slice(0, 20)}` })),
  fc
    .tuple(fc.constantFrom('x-request-id', 'idempotency-key', 'if-match', 'x-forwarded-prefix', 'x-forwarded-host', 'accept-language'), fc.constantFrom(...oddCharacterNames, 'long'))
    .map(([header, odd]) => ({
      value: { [header]: odd === 'long' ? 'x'.repeat(4000) : headerSafe(`fuzz${ODD_CHARACTERS[odd as OddCharacter]}value`) },
      label: `${header}:${odd}`,
    })),
);

/** Percent-encodes text as UTF-8; a lone surrogate becomes its (invalid) three UTF-8 bytes. */
export function encodeUriPart(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const next = text.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

const brokenEncodings = fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%FF%FE', '%00', '%2e%2e', '%252e', '%u0041');

/** The text form of a generated value, as a query or path parameter carries it. */
const asParameterText = (value: JsonLike): string =>
  (typeof value === 'string' ? value : value instanceof RawJson ? value.text : JSON.stringify(value)).slice(0, MAX_PARAMETER_LENGTH);

/**
 * Longer parameters would push the request line past Node's 16 KB header limit, where its HTTP
 * parser answers a bare 431 before any service code runs; the fuzzer aims at the services.
 */
const MAX_PARAMETER_LENGTH = 600;

export interface RequestContext {
  resolve: Resolve;
  known: KnownIds;
  /** Roles the gateway grants this route (undefined: public). */
  grantedRoles?: readonly Caller[];
}

/** `from` no later than `to`, so a valid range query is valid as a whole. */
function orderedRange(pairs: [string, string][]): [string, string][] {
  const from = pairs.find(([name]) => name === 'from');
  const to = pairs.find(([name]) => name === 'to');
  if (from && to && from[1] > to[1]) [from[1], to[1]] = [to[1], from[1]];
  return pairs;
}

type RequestParts = Omit<FuzzRequest, 'caller' | 'inputClass'>;

/** Valid-ish path, query, header parameters and body for an operation. */
function requestParts(operation: Operation, context: RequestContext) {
  const { resolve, known } = context;
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const headerParameters = operation.parameters.filter((p) => p.in === 'header' && p.name.toLowerCase() !== 'authorization');

  const validPath = fc.record(
    Object.fromEntries(pathParameters.map((p) => [p.name, known.byPath[operation.path] ? fc.constant(known.byPath[operation.path]) : (validValue(p.schema, resolve, known, p.name) as fc.Arbitrary<string>)])),
  ) as fc.Arbitrary<Record<string, string>>;
  const validQuery = fc
    .tuple(...queryParameters.map((p) => (p.required ? validValue(p.schema, resolve, known, p.name).map((v) => [p.name, asParameterText(v)] as [string, string]) : fc.option(validValue(p.schema, resolve, known, p.name).map((v) => [p.name, asParameterText(v)] as [string, string]), { nil: undefined }))))
    .map((pairs) => orderedRange(pairs.filter((pair): pair is [string, string] => pair !== undefined)));
  const validHeaders = fc
    .tuple(...headerParameters.map((p) => validValue(p.schema, resolve, known, p.name).map((v) => [p.name, headerSafe(`fuzz-${asParameterText(v)}`.slice(0, 60))] as const)))
    .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);
  const validBody: fc.Arbitrary<FuzzBody | undefined> = operation.body ? validValue(operation.body, resolve, known).map((value) => ({ kind: 'json' as const, value })) : fc.constant(undefined);

  const base: fc.Arbitrary<RequestParts> = fc.record({ pathParams: validPath, query: validQuery, headers: validHeaders, body: validBody });
  return { base, pathParameters, queryParameters, headerParameters };
}

/**
 * Requests for one operation: valid-ish everywhere but one place (body, one body field, a query,
 * path or header parameter, or a header), made by a role the route grants most of the time.
 */
export function requestArbitrary(operation: Operation, context: RequestContext): fc.Arbitrary<FuzzRequest> {
  const { resolve, known } = context;
  const { base, pathParameters, queryParameters, headerParameters } = requestParts(operation, context);
  const variants: { arbitrary: fc.Arbitrary<RequestParts & { inputClass: string }>; weight: number }[] = [
    { arbitrary: base.map((b) => ({ ...b, inputClass: 'valid' })), weight: 1 },
    {
      arbitrary: fc.tuple(base, headerMutation).map(([b, h]) => ({ ...b, headers: { ...b.headers, ...h.value }, inputClass: `header.${h.label}` })),
      weight: 2,
    },
    {
      // Stray query parameters every route must ignore or refuse.
      arbitrary: fc.tuple(base, fc.constantFrom('page', 'size', 'sort', 'q', 'id', '__proto__[x]', 'a[b][c]'), invalidValue({ type: 'string' }, resolve, known)).map(([b, name, bad]) => ({
        ...b,
        query: [...b.query, [name, asParameterText(bad.value)] as [string, string]],
        inputClass: `query.${name}:${bad.label}`,
      })),
      weight: 1,
    },
  ];
  if (operation.body) {
    variants.push(
      { arbitrary: fc.tuple(base, invalidValue(operation.body, resolve, known)).map(([b, bad]) => ({ ...b, body: { kind: 'json' as const, value: bad.value }, inputClass: `body${bad.label.startsWith('.') ? '' : ':'}${bad.label}` })), weight: 8 },
      { arbitrary: fc.tuple(base, oddInEveryString(operation.body, resolve, known)).map(([b, odd]) => ({ ...b, body: { kind: 'json' as const, value: odd.value }, inputClass: `body.every-string:${odd.label}` })), weight: 4 },
      { arbitrary: fc.tuple(base, brokenBody).map(([b, bad]) => ({ ...b, body: bad.value, inputClass: `body:${bad.label}` })), weight: 4 },
    );
  } else if (operation.method !== 'GET') {
    // A body where none is expected.
    variants.push({ arbitrary: fc.tuple(base, brokenBody).map(([b, bad]) => ({ ...b, body: bad.value, inputClass: `unexpected-body:${bad.label}` })), weight: 1 });
  }
  if (queryParameters.length) {
    variants.push({
      arbitrary: fc.tuple(base, oddCharacter, fc.nat()).map(([b, odd, at]) => {
        const query = queryParameters.map((p) => [p.name, insertAt(b.query.find(([name]) => name === p.name)?.[1] ?? 'x', ODD_CHARACTERS[odd], at)] as [string, string]);
        return { ...b, query, inputClass: `query.every-parameter:${odd}` };
      }),
      weight: 2,
    });
  }
  for (const p of queryParameters) {
    variants.push({
      arbitrary: fc.tuple(base, invalidValue(p.schema, resolve, known, p.name)).map(([b, bad]) => ({
        ...b,
        query: [...b.query.filter(([name]) => name !== p.name), [p.name, asParameterText(bad.value)] as [string, string]],
        inputClass: `query.${p.name}:${bad.label}`,
      })),
      weight: 3,
    });
  }
  for (const p of pathParameters) {
    variants.push(
      { arbitrary: fc.tuple(base, invalidValue(p.schema, resolve, known, p.name)).map(([b, bad]) => ({ ...b, pathParams: { ...b.pathParams, [p.name]: asParameterText(bad.value) }, inputClass: `path.${p.name}:${bad.label}` })), weight: 3 },
      { arbitrary: fc.tuple(base, brokenEncodings).map(([b, encoded]) => ({ ...b, pathParams: { ...b.pathParams, [p.name]: { encoded } }, inputClass: `path.${p.name}:bad-encoding` })), weight: 1 },
    );
  }
  for (const p of headerParameters) {
    variants.push({
      arbitrary: fc.tuple(base, invalidValue(p.schema, resolve, known, p.name)).map(([b, bad]) => ({ ...b, headers: { ...b.headers, [p.name]: headerSafe(asParameterText(bad.value).slice(0, 4000)) }, inputClass: `header.${p.name}:${bad.label}` })),
      weight: 1,
    });
  }

  return fc.tuple(fc.oneof(...variants), callerArbitrary(context)).map(([request, who]) => ({ ...request, caller: who }));
}

/** A role the route grants, three times in four; anyone (anonymous included) otherwise. */
function callerArbitrary(context: RequestContext): fc.Arbitrary<Caller> {
  const callers: Caller[] = ['ANONYMOUS', ...ROLES];
  const granted = context.grantedRoles ?? callers;
  return granted.length ? fc.oneof({ arbitrary: fc.constantFrom(...granted), weight: 3 }, { arbitrary: fc.constantFrom(...callers), weight: 1 }) : fc.constantFrom(...callers);
}

/** The known-nasty inputs every operation gets first, one place at a time (the rest valid). */
const KNOWN_NASTY: readonly Labelled<JsonLike>[] = [
  { value: ODD_CHARACTERS.nul, label: 'nul' },
  { value: ODD_CHARACTERS['lone-high-surrogate'], label: 'lone-high-surrogate' },
  { value: ODD_CHARACTERS['right-to-left-override'], label: 'right-to-left-override' },
  { value: ODD_CHARACTERS['4-byte-emoji'], label: '4-byte-emoji' },
];

/**
 * Deterministic first examples for an operation: each known-nasty character in each body field,
 * query, path and header parameter of an otherwise valid request made by a granted role, and
 * bodies nested thousands of levels deep. Random generation may take long to put a NUL into
 * exactly the field that breaks; these make sure the classes the issue names are always tried.
 */
export function knownNastyRequests(operation: Operation, context: RequestContext, seed: number): FuzzRequest[] {
  const { resolve, known } = context;
  const [valid] = fc.sample(requestParts(operation, context).base, { numRuns: 1, seed });
  const caller: Caller = context.grantedRoles?.[0] ?? 'ANONYMOUS';
  const examples: FuzzRequest[] = [];
  const add = (inputClass: string, change: Partial<FuzzRequest>) => examples.push({ ...valid, caller, inputClass, ...change });
  const body = valid.body?.kind === 'json' ? valid.body.value : undefined;
  const bodySchema = operation.body ? resolve(operation.body) : undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && !(body instanceof RawJson)) {
    for (const [field, property] of Object.entries(bodySchema?.properties ?? {})) {
      const fieldValue = typeof body[field] === 'string' ? (body[field] as string) : asParameterText((fc.sample(validValue(property, resolve, known, field), { numRuns: 1, seed })[0]));
      for (const nasty of KNOWN_NASTY) {
        add(`body.${field}:${nasty.label}`, { body: { kind: 'json', value: { ...body, [field]: insertAt(fieldValue, nasty.value as string, 1) } } });
      }
    }
  }
  if (operation.body) {
    for (const depth of [5000]) {
      add(`body:deep-array-${depth}`, { body: { kind: 'json', value: deeplyNested(depth, 'array') } });
      add(`body:deep-object-${depth}`, { body: { kind: 'json', value: deeplyNested(depth, 'object') } });
    }
  }
  if (!operation.body && operation.method !== 'GET') {
    // A body where none is expected is parsed all the same.
    add('unexpected-body:deep-array-5000', { body: { kind: 'json', value: deeplyNested(5000, 'array') } });
  }
  if (operation.body) {
    // A parse error must not quote the body back (it may hold patient data).
    for (const label of ['json-string', 'bare-words', 'unterminated-object']) {
      add(`body:malformed:${label}`, { body: { kind: 'bytes', label, ...MALFORMED_BODIES[label] } });
    }
  }
  for (const p of operation.parameters) {
    for (const nasty of KNOWN_NASTY) {
      const text = (current: string | undefined) => insertAt(current ?? 'x', nasty.value as string, 1);
      if (p.in === 'query') {
        const current = valid.query.find(([name]) => name === p.name)?.[1];
        add(`query.${p.name}:${nasty.label}`, { query: [...valid.query.filter(([name]) => name !== p.name), [p.name, text(current)]] });
      } else if (p.in === 'path') {
        const current = valid.pathParams[p.name];
        add(`path.${p.name}:${nasty.label}`, { pathParams: { ...valid.pathParams, [p.name]: text(typeof current === 'string' ? current : undefined) } });
      } else if (p.name.toLowerCase() !== 'authorization') {
        add(`header.${p.name}:${nasty.label}`, { headers: { ...valid.headers, [p.name]: headerSafe(text(valid.headers[p.name])) } });
      }
    }
  }
  return examples;
}
