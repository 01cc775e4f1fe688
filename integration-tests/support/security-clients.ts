import type { Role } from '@pm/auth-tokens';
import { callJson, freshLoopbackAddress, type JsonAnswer, type JsonCallOptions } from '@pm/testing';
import { E2E_PORT_OFFSET, gatewayUrl } from './system';

/** Where a request goes: through the gateway (`/api/...`, `/auth/...`) or straight at a service's own port. */
export type Target = 'gateway' | 'patient' | 'billing' | 'analytics' | 'auth' | 'appointment';

const CONTRACT_PORTS: Record<Exclude<Target, 'gateway'>, number> = {
  patient: 4000,
  billing: 4001,
  analytics: 4002,
  auth: 4005,
  appointment: 4006,
};

export function targetUrl(target: Target): string {
  return target === 'gateway' ? gatewayUrl : `http://127.0.0.1:${CONTRACT_PORTS[target] + E2E_PORT_OFFSET}`;
}

/** What a call answered (the status, headers and body of a JsonAnswer). */
export type Answer<T = any> = Pick<JsonAnswer<T>, 'status' | 'headers' | 'body'>;

/** The token, JSON body, headers and loopback address (`from`, freshClientAddress) of a call. */
export type CallOptions = JsonCallOptions;

/** One HTTP call as an outside client makes it; the body is parsed when it is JSON. */
export function call<T = any>(target: Target, method: string, path: string, options: CallOptions = {}): Promise<JsonAnswer<T>> {
  return callJson<T>(method, `${targetUrl(target)}${path}`, options);
}

/**
 * A client address of its own (a loopback address to send from; the gateway trusts no forwarding
 * header): this run's logins and anonymous requests are counted apart from every other suite's
 * and run's, by the gateway's limiter and by auth's login throttle.
 */
export function freshClientAddress(): string {
  return freshLoopbackAddress();
}

export interface TokenPair {
  token: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

export const DEMO_PASSWORD = 'password123';

export const DEMO_USERS: Record<Role, string> = {
  ADMIN: 'testuser@test.com',
  DOCTOR: 'doctor@test.com',
  NURSE: 'nurse@test.com',
  BILLING: 'billing@test.com',
  ANALYST: 'analyst@test.com',
};

/** Logs in through the gateway from `clientAddress`; throws with the answer unless it is 200. */
export async function logIn(email: string, password: string, clientAddress: string): Promise<TokenPair> {
  const answer = await call<TokenPair>('gateway', 'POST', '/auth/login', {
    body: { email, password },
    from: clientAddress,
  });
  if (answer.status !== 200) throw new Error(`login of ${email} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Fails with the method, URL, status and body, so a wrong status says why. */
export function expectStatus(answer: Answer, expected: number, what: string): void {
  if (answer.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
