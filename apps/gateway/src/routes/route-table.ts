import type { UpstreamService } from './upstream-services';

/**
 * `public`: the gateway lets it through untouched (auth checks its own tokens).
 * `authenticated`: a valid access token is required. Role checks will extend this per route.
 */
export type RouteAccess = 'public' | 'authenticated';

export interface GatewayRoute {
  /** Path prefix at the gateway; matches itself and every path below it. */
  readonly prefix: string;
  readonly service: UpstreamService;
  /** What replaces `prefix` in the path the service receives. */
  readonly upstreamPrefix: string;
  /** Sent as X-Forwarded-Prefix so a service builds `Location` headers a client can follow. */
  readonly forwardedPrefix: string;
  readonly access: RouteAccess;
}

/** Every route of the gateway (the contract's REST section). The first matching prefix wins. */
export const ROUTE_TABLE: readonly GatewayRoute[] = [
  { prefix: '/auth', service: 'auth', upstreamPrefix: '', forwardedPrefix: '/auth', access: 'public' },
  { prefix: '/api/patients', service: 'patient', upstreamPrefix: '/patients', forwardedPrefix: '/api', access: 'authenticated' },
  { prefix: '/api/billing', service: 'billing', upstreamPrefix: '/billing', forwardedPrefix: '/api', access: 'authenticated' },
  { prefix: '/api/analytics', service: 'analytics', upstreamPrefix: '/analytics', forwardedPrefix: '/api', access: 'authenticated' },
  { prefix: '/api/appointments', service: 'appointment', upstreamPrefix: '/appointments', forwardedPrefix: '/api', access: 'authenticated' },
];

/** The prefixes the proxy pipeline is mounted on: every path below them is the gateway's to answer. */
export const PROXIED_PREFIXES = ['/auth', '/api'];

export interface RouteMatch {
  readonly route: GatewayRoute;
  /** Path and query string as the service receives them. */
  readonly upstreamPath: string;
  /** Metric label: the prefix itself or `prefix/*`, never a raw path with ids in it. */
  readonly label: string;
}

/** The route a request URL (path and query) belongs to, or undefined. */
export function matchRoute(url: string, table: readonly GatewayRoute[] = ROUTE_TABLE): RouteMatch | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  for (const route of table) {
    if (path !== route.prefix && !path.startsWith(`${route.prefix}/`)) continue;
    const rest = path.slice(route.prefix.length);
    const upstreamPathname = `${route.upstreamPrefix}${rest}` || '/';
    return {
      route,
      upstreamPath: upstreamPathname + query,
      label: rest === '' ? route.prefix : `${route.prefix}/*`,
    };
  }
  return undefined;
}

/**
 * True for a path a service might resolve differently from the gateway (`..`, `.`, an encoded
 * slash or backslash, broken percent-encoding): such a path could slip past a route's checks.
 */
export function isAmbiguousPath(url: string): boolean {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return path.split('/').some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    return decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\');
  });
}
