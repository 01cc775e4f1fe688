import Redis from 'ioredis';

/** The Redis connection of the revocation list (injection token). */
export const REVOCATION_REDIS = Symbol('REVOCATION_REDIS');

/** Connects with short timeouts and no offline queue: a Redis outage fails fast (the local copy answers), never hangs. */
export function createRevocationRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    // On shutdown, how long a closing socket may linger (ioredis' 2 s default delays the exit).
    disconnectTimeout: 500,
  });
  redis.on('error', () => undefined); // reported by RevocationListCheck (degraded)
  return redis;
}
