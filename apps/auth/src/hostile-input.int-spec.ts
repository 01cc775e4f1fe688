import { expectProblem } from '@pm/testing';
import { useAuthTestApp } from './testing/auth-test-app';

const UNSAFE_TEXT = 'must not contain NUL or unpaired surrogate characters';
const ONE_MIB = 1024 * 1024;

/** Bad input straight at auth (real PostgreSQL and Redis): a 4xx problem naming what is wrong, never a 500. */
describe('hostile input at auth', () => {
  const auth = useAuthTestApp('auth_int_hostile');
  let adminToken: string;

  beforeAll(async () => {
    adminToken = (await auth.tokensFor('testuser@test.com')).token;
  });

  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${auth.baseUrl}${path}`, { method: 'POST', headers, body });

  it('answers a lone surrogate in the login email with 400 naming email', async () => {
    const body = await expectProblem(await auth.login('\ud800@test.com'), 400);
    expect(body.errors).toEqual({ email: UNSAFE_TEXT });
  });

  it('answers a lone surrogate in a new user email with 400 naming email', async () => {
    const response = await auth.request('POST', '/users', { token: adminToken, body: { email: 'nurse\udc00@clinic.example', password: 'correct horse battery staple', role: 'NURSE' } });
    expect((await expectProblem(response, 400)).errors).toEqual({ email: UNSAFE_TEXT });
  });

  it('answers JSON 5000 levels deep with 400 naming the body', async () => {
    const deep = `{"email":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect((await expectProblem(await post('/login', deep), 400)).errors).toEqual({ body: 'must not be nested deeper than 64 levels' });
  });

  it('answers a parse error with 400 that quotes none of the body', async () => {
    const response = await post('/login', '{"email": "jane.private@test.com", "password": hunter2}');
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ detail: 'The request body is not valid JSON', errors: { body: 'must be valid UTF-8 JSON' } });
    expect(text).not.toMatch(/jane|private|hunter2/);
  });

  it('answers a body that is not JSON, or of no declared type, with 415', async () => {
    const credentials = JSON.stringify({ email: 'testuser@test.com', password: 'password123' });
    await expectProblem(await post('/login', credentials, { 'content-type': 'text/plain' }), 415);
    await expectProblem(await fetch(`${auth.baseUrl}/login`, { method: 'POST', body: new Blob([credentials]) }), 415);
  });

  it('keeps the body-less logout and disable as they were', async () => {
    const session = await auth.tokensFor('doctor@test.com');
    expect((await auth.request('POST', '/logout', { token: session.token })).status).toBe(204);
    const created = await auth.request('POST', '/users', { token: adminToken, body: { email: `hostile.${Date.now()}@clinic.example`, password: 'correct horse battery staple', role: 'NURSE' } });
    const { id } = (await created.json()) as { id: string };
    expect((await auth.request('POST', `/users/${id}/disable`, { token: adminToken })).status).toBe(200);
  });

  it(`reads bodies up to MAX_BODY_BYTES (${ONE_MIB} by default) and answers 413 above it`, async () => {
    expect(auth.config.MAX_BODY_BYTES).toBe(ONE_MIB);
    const padded = (bytes: number) => {
      const head = '{"email":"testuser@test.com","password":"';
      return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
    };
    expect(Buffer.byteLength(padded(ONE_MIB))).toBe(ONE_MIB);
    // Read and validated (the password is too long), so not refused for its size.
    expect((await expectProblem(await post('/login', padded(ONE_MIB)), 400)).errors).toHaveProperty('password');
    const tooLarge = await expectProblem(await post('/login', padded(ONE_MIB + 1)), 413);
    expect(tooLarge.detail).toBe(`The request body is larger than ${ONE_MIB} bytes`);
  });
});
