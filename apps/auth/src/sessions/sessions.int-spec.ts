import { decodeJwt } from 'jose';
import { createHash } from 'node:crypto';
import { TokenPair, useAuthTestApp } from '../testing/auth-test-app';

describe('refresh and logout over HTTP (real PostgreSQL and Redis)', () => {
  const auth = useAuthTestApp('auth_int_sessions');

  const refresh = (refreshToken: unknown) => auth.request('POST', '/refresh', { body: { refreshToken } });
  const me = (token: string) => auth.request('GET', '/me', { token });
  const familyRows = (familyId: string): Promise<{ used: boolean; revoked: boolean }[]> =>
    auth.dataSource.query(
      'SELECT used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE family_id = $1 ORDER BY created_at',
      [familyId],
    );

  it('exchanges a refresh token for a new pair of the same session; the new access token works', async () => {
    const first = await auth.tokensFor('nurse@test.com');
    const response = await refresh(first.refreshToken);
    expect(response.status).toBe(200);
    const second = (await response.json()) as TokenPair;
    expect(second).toEqual({ token: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.token).sid).toBe(decodeJwt(first.token).sid);
    expect(decodeJwt(second.token).jti).not.toBe(decodeJwt(first.token).jti);
    expect((await me(second.token)).status).toBe(200);
    expect(await familyRows(String(decodeJwt(first.token).sid))).toEqual([
      { used: true, revoked: false },
      { used: false, revoked: false },
    ]);
  });

  it('stores refresh tokens only as SHA-256 hashes', async () => {
    const { refreshToken } = await auth.tokensFor('doctor@test.com');
    const stored: { token_hash: string }[] = await auth.dataSource.query('SELECT token_hash FROM refresh_tokens');
    expect(stored.map((row) => row.token_hash)).toContain(createHash('sha256').update(refreshToken).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(refreshToken);
  });

  it("on reuse of a used refresh token: 401, and the whole family dies — the newest refresh token and the session's access tokens too", async () => {
    const first = await auth.tokensFor('billing@test.com');
    const second = (await (await refresh(first.refreshToken)).json()) as TokenPair;
    expect((await me(second.token)).status).toBe(200);

    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toContain('application/problem+json');
    expect(await replay.json()).toMatchObject({ status: 401, detail: 'The refresh token is invalid, expired or revoked' });

    expect((await refresh(second.refreshToken)).status).toBe(401);
    expect((await me(second.token)).status).toBe(401);
    expect((await me(first.token)).status).toBe(401);
    expect((await familyRows(String(decodeJwt(first.token).sid))).every((row) => row.revoked)).toBe(true);
    // Another session of the same user is untouched.
    expect((await me((await auth.tokensFor('billing@test.com')).token)).status).toBe(200);
  });

  it('gives exactly one 200 when one refresh token is presented several times at once', async () => {
    const { refreshToken, token } = await auth.tokensFor('analyst@test.com');
    const answers = await Promise.all([1, 2, 3, 4].map(() => refresh(refreshToken)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401, 401]);
    // The loser presented a used token: the family is revoked, as for any reuse.
    const winner = (await answers.find((answer) => answer.status === 200)!.json()) as TokenPair;
    expect((await refresh(winner.refreshToken)).status).toBe(401);
    expect((await familyRows(String(decodeJwt(token).sid))).every((row) => row.revoked)).toBe(true);
  });

  it('refuses an expired refresh token without revoking its family', async () => {
    const { refreshToken, token } = await auth.tokensFor('nurse@test.com');
    const sid = String(decodeJwt(token).sid);
    await auth.dataSource.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE family_id = $1`, [sid]);
    expect((await refresh(refreshToken)).status).toBe(401);
    expect(await familyRows(sid)).toEqual([{ used: false, revoked: false }]);
    expect((await me(token)).status).toBe(200);
  });

  it.each([
    [{}, 'refreshToken is required'],
    [{ refreshToken: 42 }, 'refreshToken must be a string'],
  ])('answers 400 naming refreshToken for %j', async (body, message) => {
    const response = await auth.request('POST', '/refresh', { body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Record<string, string> }).errors).toEqual({ refreshToken: message });
  });

  it('answers 401 for a refresh token that was never issued', async () => {
    expect((await refresh('A'.repeat(43))).status).toBe(401);
    expect((await refresh('not-even-the-format')).status).toBe(401);
  });

  describe('POST /logout', () => {
    it("answers 204; the session's access token is then 401 at /me and its refresh token 401 at /refresh", async () => {
      const session = await auth.tokensFor('doctor@test.com');
      const other = await auth.tokensFor('doctor@test.com');
      const response = await auth.request('POST', '/logout', { token: session.token });
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');

      expect((await me(session.token)).status).toBe(401);
      expect((await refresh(session.refreshToken)).status).toBe(401);
      expect((await auth.request('POST', '/logout', { token: session.token })).status).toBe(401);
      // Only that session ends: the same user's other login still works.
      expect((await me(other.token)).status).toBe(200);
    });

    it('also ends access tokens of the session issued by earlier refreshes', async () => {
      const first = await auth.tokensFor('nurse@test.com');
      const second = (await (await refresh(first.refreshToken)).json()) as TokenPair;
      expect((await auth.request('POST', '/logout', { token: second.token })).status).toBe(204);
      expect((await me(first.token)).status).toBe(401);
    });

    it('needs an access token', async () => {
      const response = await auth.request('POST', '/logout');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  it('counts refreshes by outcome in /metrics', async () => {
    const metrics = await (await auth.request('GET', '/metrics')).text();
    const count = (outcome: string) => Number(new RegExp(`^auth_refreshes_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(count('rotated')).toBeGreaterThanOrEqual(3);
    expect(count('reused')).toBeGreaterThanOrEqual(2);
    expect(count('expired')).toBeGreaterThanOrEqual(1);
  });
});
