import { checkAnswer, echoSource, echoedFragment, findInfrastructureHost, findSql, findStackTrace, operationOutcomeFormatError, problemFormatError } from './response-checks';

const problem = (status: number, extra: Record<string, unknown> = {}) => ({
  status,
  contentType: 'application/problem+json; charset=utf-8',
  text: JSON.stringify({ type: 'about:blank', title: 'Bad Request', status, detail: 'email must be an email', ...extra }),
});

describe('echo detector', () => {
  const body = JSON.stringify({ name: 'Jane Q. Patientname', email: 'jane.q.patient@example.com' });

  it('finds a long run of the body repeated verbatim', () => {
    expect(echoedFragment(body, `Unexpected token in ${body.slice(3, 40)}`)).toBeDefined();
  });

  it('finds the body quoted inside a JSON string (escaped quotes)', () => {
    const answer = JSON.stringify({ detail: `Unexpected token '}', "${body.slice(0, 30)}" is not valid JSON` });
    expect(echoedFragment(body, answer)).toBeDefined();
  });

  it('lets field names and short values pass', () => {
    expect(echoedFragment(body, JSON.stringify({ errors: { email: 'must be an email', name: 'too long' } }))).toBeUndefined();
  });

  it('lets an error name a field the body sent, however long its name (only values count)', () => {
    const sent = JSON.stringify({ ['x'.repeat(300)]: 1 });
    const answer = JSON.stringify({ errors: { ['x'.repeat(300)]: 'property should not exist' } });
    expect(echoedFragment(echoSource(sent).text, answer)).toBeUndefined();
    expect(echoSource(JSON.stringify({ a: { b: 'a long private value here' } })).text).toContain('a long private value here');
  });

  it('counts the whole text of a body that is not a JSON object, and ten characters of it as an echo', () => {
    expect(echoSource('"a\\r\\nX-Injected: 1"')).toEqual({ text: '"a\\r\\nX-Injected: 1"', minLength: 10 });
    expect(echoSource('{"email": broken').text).toBe('{"email": broken');
  });

  it("finds a JSON parser's error quoting the start of a malformed body", () => {
    const sent = 'Jane Doe, private note about her visit';
    const answer = JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: `Unexpected token 'J', "Jane Doe, "... is not valid JSON` });
    expect(checkAnswer({ status: 400, contentType: 'application/problem+json', text: answer }, sent, sent).map((v) => v.kind)).toEqual(['echo']);
  });

  it('ignores bodies shorter than the threshold', () => {
    expect(echoedFragment('{"a":1}', 'body {"a":1} refused')).toBeUndefined();
  });
});

// Each detector finds its kind of leak and lets a plain message with similar words pass.
const detectors: [string, (text: string) => unknown, string[], string][] = [
  [
    'stack trace',
    findStackTrace,
    [
      'Error: boom\n    at Object.<anonymous> (/srv/app/main.js:10:5)',
      'at async PatientsService.create (/work/dist/apps/patient/src/patients/patients.service.js:42:17)',
      'failed in patients.service.ts:42',
      'Cannot find module in node_modules/pg/lib/client.js',
    ],
    'The appointment must start at a later time than now',
  ],
  [
    'SQL',
    findSql,
    [
      'SELECT "p"."id" FROM "patients" "p"',
      'INSERT INTO audit_entries VALUES ($1)',
      'relation "patients" does not exist',
      'syntax error at or near ")"',
      'duplicate key value violates unique constraint "UQ_email"',
      'invalid byte sequence for encoding "UTF8": 0x00',
    ],
    'Please select a role to insert the user into',
  ],
  [
    'infrastructure host',
    findInfrastructureHost,
    ['connect ECONNREFUSED 127.0.0.1:5432', 'http://localhost:4005/login', 'upstream 10.0.3.7 failed', 'ip-10-0-1-23.ec2.internal', 'redis:6379 unreachable', 'auth.svc.cluster.local'],
    'The auth service is unavailable (Redis is down)',
  ],
];

describe.each(detectors)('%s detector', (_name, find, leaks, plain) => {
  it.each(leaks)('finds %j', (text) => {
    expect(find(text)).toBeDefined();
  });

  it(`lets a plain message pass: ${JSON.stringify(plain)}`, () => {
    expect(find(plain)).toBeUndefined();
  });
});

describe('SQL detector', () => {
  it('does not hold against the answer SQL the request brought itself', () => {
    expect(findSql('searchValue "SELECT * FROM users" matched nothing', 'SELECT * FROM users')).toBeUndefined();
  });
});

describe('problem format', () => {
  it('accepts application/problem+json with type, title and the same status', () => {
    expect(problemFormatError(problem(400))).toBeUndefined();
  });

  it.each([
    [{ ...problem(400), contentType: 'application/json' }, /content type/],
    [{ ...problem(400), contentType: 'text/html' }, /content type/],
    [{ ...problem(400), text: '<html>Bad</html>' }, /not JSON/],
    [{ ...problem(400), text: JSON.stringify({ message: 'bad', statusCode: 400 }) }, /missing type, title, status/],
    [{ ...problem(404), text: JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400 }) }, /status 400 in the body, 404/],
  ])('refuses %#', (answer, message) => {
    expect(problemFormatError(answer)).toMatch(message);
  });
});

describe('OperationOutcome format (FHIR routes)', () => {
  const outcome = (status: number, body: unknown = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'bad' }] }) => ({
    status,
    contentType: 'application/fhir+json; charset=utf-8',
    text: JSON.stringify(body),
  });

  it('accepts an OperationOutcome in application/fhir+json whose issues have a severity and a code', () => {
    expect(operationOutcomeFormatError(outcome(400))).toBeUndefined();
    expect(checkAnswer(outcome(404), '', '', 'fhir')).toEqual([]);
  });

  it.each([
    [{ ...outcome(400), contentType: 'application/problem+json' }, /content type/],
    [{ ...outcome(400), contentType: '' }, /content type is "\(none\)"/],
    [{ ...outcome(400), text: '<html>' }, /not JSON/],
    [outcome(400, { type: 'about:blank', title: 'Bad Request', status: 400 }), /not an OperationOutcome/],
    [outcome(400, { resourceType: 'OperationOutcome', issue: [] }), /issue is missing/],
    [outcome(400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] }), /lacks severity or code/],
    [outcome(400, { resourceType: 'OperationOutcome' }), /issue is missing/],
  ])('refuses %#', (answer, message) => {
    expect(operationOutcomeFormatError(answer)).toMatch(message);
  });

  it('holds a problem+json against a FHIR route, and an OperationOutcome against a REST one', () => {
    expect(checkAnswer(problem(400), '', '', 'fhir').map((v) => v.kind)).toEqual(['not-problem-json']);
    expect(checkAnswer(outcome(400), '', '').map((v) => v.kind)).toEqual(['not-problem-json']);
  });
});

describe('checkAnswer', () => {
  it('holds every 5xx against the answer, whatever its body', () => {
    expect(checkAnswer(problem(500), '', '').map((v) => v.kind)).toEqual(['server-error']);
    expect(checkAnswer({ status: 502, contentType: 'text/plain', text: '' }, '', '').map((v) => v.kind)).toEqual(['server-error']);
  });

  it('accepts 429 from the limiter and successful answers as they are', () => {
    expect(checkAnswer({ status: 429, contentType: 'application/json', text: '{}' }, '', '')).toEqual([]);
    expect(checkAnswer({ status: 200, contentType: 'application/json', text: '{"host":"localhost"}' }, '', '')).toEqual([]);
  });

  it('lists every leak of one error answer', () => {
    const sent = JSON.stringify({ reason: 'a very private reason for the visit' });
    const answer = problem(400, { detail: `insert failed: INSERT INTO appointments at 127.0.0.1:5432 (${sent})\n    at Repo.save (/app/dist/repo.js:1:2)` });
    expect(checkAnswer(answer, sent, sent).map((v) => v.kind)).toEqual(['echo', 'stack-trace', 'sql', 'infrastructure-host']);
  });
});

describe('echoSource on a body thousands of levels deep', () => {
  it('walks it without overflowing the stack', () => {
    const deep = `${'{"a":'.repeat(20_000)}"value"${'}'.repeat(20_000)}`;
    expect(echoSource(deep).text).toBe('value');
  });
});
