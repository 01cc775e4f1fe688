import { Controller, Get, HttpException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { InvalidAccessTokenError, RevokedAccessTokenError, TokenKeysUnavailableError, TokenVerificationUnavailableError } from '../access-token.errors';
import type { AccessTokenClaims } from '../access-token-policy';
import type { AccessTokenVerifier } from '../access-token-verifier';
import type { Role } from '../roles';
import { Public, Roles } from './access-control.decorators';
import { AccessDenial, AccessTokenGuard } from './access-token.guard';
import { typedFake } from '@pm/testing';

/** Answers from a table: token → claims, or the error the real verifier would throw. */
class FakeVerifier implements Pick<AccessTokenVerifier, 'verify'> {
  readonly verified: string[] = [];
  constructor(private readonly answers: Record<string, AccessTokenClaims | Error>) {}
  async verify(token: string): Promise<AccessTokenClaims> {
    this.verified.push(token);
    const answer = this.answers[token] ?? new InvalidAccessTokenError('unknown token');
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

const claims = (role: Role): AccessTokenClaims => ({ userId: `${role}-user`, email: '', role, tokenId: `${role}-token`, issuedAt: 1, expiresAt: 2 });

@Roles('ADMIN', 'BILLING')
@Controller('things')
class ThingsController {
  @Get()
  list() {}

  @Roles('ADMIN')
  @Get('secret')
  secret() {}

  @Public()
  @Get('open')
  open() {}
}

@Controller('any')
class AnyRoleController {
  @Get()
  any() {}
}

describe('AccessTokenGuard', () => {
  const verifier = new FakeVerifier({
    admin: claims('ADMIN'),
    billing: claims('BILLING'),
    analyst: claims('ANALYST'),
    revoked: new RevokedAccessTokenError('revoked'),
    'keys-down': new TokenKeysUnavailableError('auth is down'),
    'redis-down': new TokenVerificationUnavailableError('redis is down'),
  });
  const guard = new AccessTokenGuard(typedFake<AccessTokenVerifier>(verifier), new Reflector());
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());
  const denials: AccessDenial[] = [];
  guard.onDenied((denial) => {
    denials.push(denial);
  });

  beforeEach(() => (denials.length = 0));

  function context(handler: keyof ThingsController | 'any', authorization?: string, path = `/things/${handler}`) {
    const controller = handler === 'any' ? AnyRoleController : ThingsController;
    const request = { path, headers: authorization ? { authorization } : {} } as { user?: AccessTokenClaims };
    const response = { headers: {} as Record<string, string>, setHeader: (name: string, value: string) => (response.headers[name] = value) };
    const host = new ExecutionContextHost([request, response], controller, handler === 'any' ? AnyRoleController.prototype.any : ThingsController.prototype[handler]);
    return { host, request, response };
  }

  async function outcome(handler: keyof ThingsController | 'any', authorization?: string, path?: string): Promise<number> {
    try {
      await guard.canActivate(context(handler, authorization, path).host);
      return 200;
    } catch (error) {
      return (error as HttpException).getStatus();
    }
  }

  it.each([
    ['list', 'Bearer admin', 200],
    ['list', 'Bearer billing', 200],
    ['list', 'Bearer analyst', 403],
    ['secret', 'Bearer admin', 200],
    ['secret', 'Bearer billing', 403],
    ['open', undefined, 200],
    ['any', 'Bearer analyst', 200],
    ['list', undefined, 401],
    ['list', 'Basic admin', 401],
    ['list', 'Bearer unknown', 401],
    ['list', 'Bearer revoked', 401],
    ['list', 'Bearer keys-down', 503],
    ['list', 'Bearer redis-down', 503],
  ] as const)('%s with %p → %i', async (handler, authorization, status) => {
    expect(await outcome(handler, authorization)).toBe(status);
  });

  it('asks for a bearer token in WWW-Authenticate on a 401, and names a bad one', async () => {
    for (const [authorization, challenge] of [
      [undefined, 'Bearer'],
      ['Bearer revoked', 'Bearer error="invalid_token"'],
    ] as const) {
      const { host, response } = context('list', authorization);
      await expect(guard.canActivate(host)).rejects.toBeInstanceOf(HttpException);
      expect(response.headers['WWW-Authenticate']).toBe(challenge);
    }
  });

  it('puts the verified claims on the request', async () => {
    const { host, request } = context('list', 'Bearer billing');
    await expect(guard.canActivate(host)).resolves.toBe(true);
    expect(request.user).toEqual(claims('BILLING'));
  });

  it('lets the operational endpoints through without a token', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/api-docs']) expect(await outcome('list', undefined, path)).toBe(200);
    expect(await outcome('list', undefined, '/health/other')).toBe(401);
  });

  it('tells the listeners of every refusal, with the claims when the token was valid', async () => {
    await outcome('list', undefined);
    await outcome('list', 'Bearer revoked');
    await outcome('secret', 'Bearer billing');
    await outcome('list', 'Bearer keys-down'); // not a refusal: the token could not be checked
    expect(denials.map((d) => ({ status: d.status, role: d.claims?.role }))).toEqual([
      { status: 401, role: undefined },
      { status: 401, role: undefined },
      { status: 403, role: 'BILLING' },
    ]);
  });

  it('leaves non-HTTP calls (gRPC, Kafka) alone', async () => {
    const host = new ExecutionContextHost([]);
    host.setType('rpc');
    await expect(guard.canActivate(host)).resolves.toBe(true);
  });
});
