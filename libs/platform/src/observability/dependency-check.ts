/**
 * Something a service needs to do its work (its database, Kafka, Redis, an upstream). Readiness
 * runs every registered check; `check` resolves when the dependency answers and throws otherwise.
 */
export interface DependencyCheck {
  readonly name: string;
  /**
   * The service keeps serving without it (e.g. Redis, whose revocation list each verifier also
   * holds in memory): when it is down, readiness stays 200 with `status: 'degraded'` and the
   * dependency reported `down`, instead of 503.
   */
  readonly degradesOnly?: boolean;
  check(): Promise<void>;
}

export const DEPENDENCY_CHECKS = Symbol('DEPENDENCY_CHECKS');

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
