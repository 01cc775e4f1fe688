import type { Express } from 'express';

/**
 * Express's `trust proxy`: req.ip is the client the listed proxies name in X-Forwarded-For, and
 * the peer's own address when it is not one of them. An empty list trusts nobody's header.
 */
export function trustProxies(http: Express, proxies: readonly string[] = []): void {
  http.set('trust proxy', proxies.length > 0 ? [...proxies] : false);
}
