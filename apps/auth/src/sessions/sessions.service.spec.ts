import { Logger } from '@nestjs/common';
import { AccessTokenVerifier } from '@pm/auth-tokens';
import type { Transaction, Transactions } from '@pm/platform';
import type { RevocationsService } from '../revocations/revocations.service';
import { FakeClock, typedFake } from '@pm/testing';
import { createLocalJWKSet } from 'jose';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { SigningKeys } from '../tokens/signing-keys';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';
import { hashRefreshToken } from './refresh-token.secret';
import { ClaimedRefreshToken, NewRefreshToken, RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionMetrics } from './session.metrics';
import { InvalidRefreshTokenError, RevocationUnavailableError } from './sessions.errors';
import { RefreshOutcome, SessionsService } from './sessions.service';

/**
 * The refresh_tokens and users tables in memory. `transactions` runs the work against them and
 * counts it; a call made with a transaction other than the open one fails, as it would not
 * commit with the rest of the rotation.
 */
class FakeRefreshTokensRepository
  implements Pick<RefreshTokensRepository, 'insert' | 'claim' | 'find' | 'findUser' | 'revokeFamily' | 'revokeAllOfUser'>
{
  readonly rows: RefreshToken[] = [];
  readonly users = new Map<string, User>();
  transactionCount = 0;
  private openTransaction?: Transaction;

  readonly transactions: Pick<Transactions, 'run'> = {
    run: async <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => {
      this.transactionCount++;
      this.openTransaction = {} as Transaction;
      try {
        return await work(this.openTransaction);
      } finally {
        this.openTransaction = undefined;
      }
    },
  };

  async insert(token: NewRefreshToken, tx?: Transaction): Promise<void> {
    if (tx) this.joined(tx);
    this.rows.push(Object.assign(new RefreshToken(), { id: `row-${this.rows.length + 1}`, usedAt: null, revokedAt: null, createdAt: new Date(), ...token }));
  }

  async claim(tokenHash: string, now: Date, tx: Transaction): Promise<ClaimedRefreshToken | null> {
    this.joined(tx);
    const row = this.rows.find((candidate) => candidate.tokenHash === tokenHash);
    if (!row || row.usedAt || row.revokedAt || row.expiresAt <= now) return null;
    row.usedAt = now;
    return { familyId: row.familyId, userId: row.userId };
  }

  async find(tokenHash: string, tx: Transaction): Promise<RefreshToken | null> {
    this.joined(tx);
    return this.rows.find((row) => row.tokenHash === tokenHash) ?? null;
  }

  async findUser(userId: string, tx: Transaction): Promise<User | null> {
    this.joined(tx);
    return this.users.get(userId) ?? null;
  }

  async revokeFamily(familyId: string, now: Date, tx?: Transaction): Promise<number> {
    if (tx) this.joined(tx);
    return this.revokeWhere((row) => row.familyId === familyId, now);
  }

  async revokeAllOfUser(userId: string, now: Date): Promise<number> {
    return this.revokeWhere((row) => row.userId === userId, now);
  }

  family(familyId: string): RefreshToken[] {
    return this.rows.filter((row) => row.familyId === familyId);
  }

  private joined(tx: Transaction): void {
    if (tx !== this.openTransaction) throw new Error('called outside the open transaction');
  }

  private revokeWhere(matches: (row: RefreshToken) => boolean, now: Date): number {
    const rows = this.rows.filter((row) => matches(row) && !row.revokedAt);
    for (const row of rows) row.revokedAt = now;
    return rows.length;
  }
}

class FakeRevocations implements Pick<RevocationsService, 'revokeToken' | 'revokeSession' | 'revokeUserTokens'> {
  readonly calls: unknown[][] = [];
  down = false;

  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    this.record('token', tokenId, expiresAt);
  }

  async revokeSession(sessionId: string, lastTokenExpiresAt: number): Promise<void> {
    this.record('session', sessionId, lastTokenExpiresAt);
  }

  async revokeUserTokens(userId: string, issuedBefore: number, lastTokenExpiresAt: number): Promise<void> {
    this.record('user', userId, issuedBefore, lastTokenExpiresAt);
  }

  private record(...call: unknown[]): void {
    if (this.down) throw new Error('the database is unavailable');
    this.calls.push(call);
  }
}

class FakeSessionMetrics implements Pick<SessionMetrics, 'refreshed'> {
  readonly outcomes: RefreshOutcome[] = [];

  refreshed(outcome: RefreshOutcome): void {
    this.outcomes.push(outcome);
  }
}

const ACCESS_TTL = 900;
const REFRESH_TTL = 14 * 24 * 3600;
const NOW_SECONDS = Date.parse('2030-01-01T12:00:00Z') / 1000;

describe('SessionsService', () => {
  let repository: FakeRefreshTokensRepository;
  let revocations: FakeRevocations;
  let clock: FakeClock;
  let metrics: FakeSessionMetrics;
  let service: SessionsService;
  let verifier: AccessTokenVerifier;
  let nurse: User;

  beforeEach(async () => {
    repository = new FakeRefreshTokensRepository();
    revocations = new FakeRevocations();
    clock = new FakeClock(new Date('2030-01-01T12:00:00.250Z'));
    metrics = new FakeSessionMetrics();
    const keys = await SigningKeys.ephemeral();
    const settings = { issuer: 'iss', audience: 'aud', ttlSeconds: ACCESS_TTL };
    service = new SessionsService(
      typedFake<RefreshTokensRepository>(repository),
      typedFake<Transactions>(repository.transactions),
      new AccessTokenIssuer(keys, settings, () => clock.now().getTime()),
      typedFake<RevocationsService>(revocations),
      typedFake<SessionMetrics>(metrics),
      clock,
      { ACCESS_TOKEN_TTL_SECONDS: ACCESS_TTL, REFRESH_TOKEN_TTL_SECONDS: REFRESH_TTL },
    );
    verifier = new AccessTokenVerifier(
      { AUTH_JWKS_URL: 'http://unused.invalid/jwks.json', JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' },
      createLocalJWKSet({ keys: keys.publicJwks.map((key) => ({ ...key })) }),
    );
    nurse = Object.assign(new User(), { id: 'user-nurse', email: 'nurse@test.com', role: 'NURSE', disabled: false });
    repository.users.set(nurse.id, nurse);
    for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const startNurseSession = () => service.start({ id: nurse.id, email: nurse.email, role: nurse.role });
  // The fake clock is in 2030, so these tokens are unexpired for the verifier's real clock.
  const claimsOf = (token: string) => verifier.verify(token);

  describe('start', () => {
    it('stores only the hash of a fresh refresh token, in a new family that is the access token sid', async () => {
      const session = await startNurseSession();
      expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(repository.rows).toEqual([
        expect.objectContaining({
          familyId: session.sessionId,
          userId: nurse.id,
          tokenHash: hashRefreshToken(session.refreshToken),
          expiresAt: new Date(clock.now().getTime() + REFRESH_TTL * 1000),
        }),
      ]);
      expect(JSON.stringify(repository.rows)).not.toContain(session.refreshToken);
      await expect(claimsOf(session.accessToken.token)).resolves.toMatchObject({ userId: nurse.id, role: 'NURSE', sessionId: session.sessionId });
    });

    it('gives every login its own session and refresh token', async () => {
      const [first, second] = [await startNurseSession(), await startNurseSession()];
      expect(first.sessionId).not.toBe(second.sessionId);
      expect(first.refreshToken).not.toBe(second.refreshToken);
    });
  });

  describe('refresh', () => {
    it('uses up the presented token and answers a new pair of the same session, in one transaction', async () => {
      const first = await startNurseSession();
      clock.advance(60 * 1000);
      const second = await service.refresh(first.refreshToken);

      expect(repository.transactionCount).toBe(1);
      expect(second.sessionId).toBe(first.sessionId);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(repository.family(first.sessionId).map((row) => [row.usedAt, row.revokedAt])).toEqual([
        [clock.now(), null],
        [null, null],
      ]);
      expect(repository.rows[1].expiresAt).toEqual(new Date(clock.now().getTime() + REFRESH_TTL * 1000));
      const claims = await claimsOf(second.accessToken.token);
      expect(claims).toMatchObject({ userId: nurse.id, sessionId: first.sessionId, issuedAt: NOW_SECONDS + 60 });
      expect(metrics.outcomes).toEqual(['rotated']);
    });

    it("puts the user's current role and email in the new access token", async () => {
      const first = await startNurseSession();
      nurse.role = 'DOCTOR';
      const second = await service.refresh(first.refreshToken);
      await expect(claimsOf(second.accessToken.token)).resolves.toMatchObject({ role: 'DOCTOR' });
    });

    it('treats a used token as stolen: 401 and the whole family revoked, the newest refresh token and its access tokens too', async () => {
      const first = await startNurseSession();
      const second = await service.refresh(first.refreshToken);
      clock.advance(5 * 1000);

      await expect(service.refresh(first.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.family(first.sessionId).every((row) => row.revokedAt !== null)).toBe(true);
      expect(revocations.calls).toEqual([['session', first.sessionId, NOW_SECONDS + 5 + ACCESS_TTL]]);
      await expect(service.refresh(second.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(metrics.outcomes).toEqual(['rotated', 'reused', 'reused']);
    });

    it('treats a revoked token (after logout) like a used one', async () => {
      const session = await startNurseSession();
      await repository.revokeFamily(session.sessionId, clock.now());
      await expect(service.refresh(session.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(revocations.calls).toEqual([['session', session.sessionId, NOW_SECONDS + ACCESS_TTL]]);
      expect(metrics.outcomes).toEqual(['reused']);
    });

    it('still answers 401 for a reused token when the session revocation cannot be recorded (the database revocation of its refresh tokens holds)', async () => {
      const first = await startNurseSession();
      await service.refresh(first.refreshToken);
      revocations.down = true;
      await expect(service.refresh(first.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.family(first.sessionId).every((row) => row.revokedAt !== null)).toBe(true);
      expect(jest.mocked(Logger.prototype.error)).toHaveBeenCalled();
    });

    it('refuses an expired token without revoking its family', async () => {
      const session = await startNurseSession();
      clock.advance(REFRESH_TTL * 1000);
      await expect(service.refresh(session.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.rows[0]).toMatchObject({ usedAt: null, revokedAt: null });
      expect(revocations.calls).toEqual([]);
      expect(metrics.outcomes).toEqual(['expired']);
    });

    it("refuses a disabled user's token and revokes the family", async () => {
      const session = await startNurseSession();
      nurse.disabled = true;
      await expect(service.refresh(session.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.rows).toHaveLength(1);
      expect(repository.rows[0].revokedAt).toEqual(clock.now());
      expect(metrics.outcomes).toEqual(['user_disabled']);
    });

    it('refuses an unknown token, and one that cannot be ours without even a lookup', async () => {
      await startNurseSession();
      await expect(service.refresh('A'.repeat(43))).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.transactionCount).toBe(1);
      await expect(service.refresh('not a token')).rejects.toThrow(InvalidRefreshTokenError);
      expect(repository.transactionCount).toBe(1);
      expect(repository.rows.every((row) => row.usedAt === null && row.revokedAt === null)).toBe(true);
      expect(metrics.outcomes).toEqual(['unknown', 'unknown']);
    });

    it('gives one answer for every refusal', async () => {
      const messages = new Set<string>();
      for (const token of ['garbage', 'B'.repeat(43)]) {
        await service.refresh(token).catch((error: Error) => messages.add(error.message));
      }
      expect([...messages]).toEqual(['The refresh token is invalid, expired or revoked']);
    });
  });

  describe('logout', () => {
    it('revokes the access token, the session and its refresh tokens', async () => {
      const session = await startNurseSession();
      const claims = await claimsOf(session.accessToken.token);
      await service.logout(claims);
      expect(revocations.calls).toEqual([
        ['token', claims.tokenId, claims.expiresAt],
        ['session', session.sessionId, NOW_SECONDS + ACCESS_TTL],
      ]);
      expect(repository.rows[0].revokedAt).toEqual(clock.now());
      await expect(service.refresh(session.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
    });

    it('revokes just the token when it names no session', async () => {
      await service.logout({ userId: 'u', email: 'e', role: 'NURSE', tokenId: 'jti-1', issuedAt: NOW_SECONDS, expiresAt: NOW_SECONDS + 10 });
      expect(revocations.calls).toEqual([['token', 'jti-1', NOW_SECONDS + 10]]);
    });

    it('says so when the revocation cannot be recorded, so the client retries', async () => {
      revocations.down = true;
      await expect(
        service.logout({ userId: 'u', email: 'e', role: 'NURSE', tokenId: 'jti-1', sessionId: 's', issuedAt: 1, expiresAt: 2 }),
      ).rejects.toThrow(RevocationUnavailableError);
    });
  });

  describe('endAllSessionsOf', () => {
    it("revokes every refresh token and every access token issued up to now, then waits for the next second", async () => {
      const [first, second] = [await startNurseSession(), await startNurseSession()];
      const other = await service.start({ id: 'user-other', email: 'o@test.com', role: 'ADMIN' });
      await service.endAllSessionsOf(nurse.id);

      expect(revocations.calls).toEqual([['user', nurse.id, NOW_SECONDS, NOW_SECONDS + ACCESS_TTL]]);
      expect([...repository.family(first.sessionId), ...repository.family(second.sessionId)].every((row) => row.revokedAt)).toBe(true);
      expect(repository.family(other.sessionId)[0].revokedAt).toBeNull();
      // A token issued after this resolves has iat > the cut-off, so it is not caught by it.
      expect(clock.waitedUntil).toEqual([(NOW_SECONDS + 1) * 1000]);
    });

    it('says so when the revocation cannot be recorded', async () => {
      revocations.down = true;
      await expect(service.endAllSessionsOf(nurse.id)).rejects.toThrow(RevocationUnavailableError);
    });
  });
});
