import type { Role } from '@pm/auth-tokens';
import type { UpstreamService } from './upstream-services';

/** The methods a role can be granted; anything else (TRACE, CONNECT...) is refused to everyone. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// The contract's words ("read", "create", "update", "all") as methods.
const READ = ['GET', 'HEAD'] as const satisfies readonly HttpMethod[];
const READ_CREATE_UPDATE = [...READ, 'POST', 'PUT', 'PATCH'] as const satisfies readonly HttpMethod[];
const ALL = HTTP_METHODS;

/** Which methods each role may use on a route; a role that is not listed may use none. */
export type RoleGrants = Readonly<Partial<Record<Role, readonly HttpMethod[]>>>;

interface RouteBase {
  /** Path prefix at the gateway; matches itself and every path below it. */
  readonly prefix: string;
  readonly service: UpstreamService;
  /** What replaces `prefix` in the path the service receives. */
  readonly upstreamPrefix: string;
  /** Sent as X-Forwarded-Prefix so a service builds `Location` headers a client can follow. */
  readonly forwardedPrefix: string;
}

/** Let through untouched: the service (auth) checks its own tokens. */
export interface PublicRoute extends RouteBase {
  readonly access: 'public';
}

/** Needs a valid access token whose role is granted the request's method. */
export interface ProtectedRoute extends RouteBase {
  readonly access: 'authenticated';
  readonly grants: RoleGrants;
}

export type GatewayRoute = PublicRoute | ProtectedRoute;
export type RouteAccess = GatewayRoute['access'];

/**
 * Every route of the gateway (the contract's REST section) with the contract's "Who may do what"
 * table. The first matching prefix wins. The services check roles again themselves; BILLING's
 * patient projection (name, email, address only) is the patient service's.
 */
export const ROUTE_TABLE: readonly GatewayRoute[] = [
  {
    prefix: '/auth/users',
    service: 'auth',
    upstreamPrefix: '/users',
    forwardedPrefix: '/auth',
    access: 'authenticated',
    grants: { ADMIN: ALL },
  },
  {
    // Login throttles: ADMIN lists and lifts them.
    prefix: '/auth/throttles',
    service: 'auth',
    upstreamPrefix: '/throttles',
    forwardedPrefix: '/auth',
    access: 'authenticated',
    grants: { ADMIN: [...READ, 'DELETE'] },
  },
  { prefix: '/auth', service: 'auth', upstreamPrefix: '', forwardedPrefix: '/auth', access: 'public' },
  {
    prefix: '/api/patients',
    service: 'patient',
    upstreamPrefix: '/patients',
    forwardedPrefix: '/api',
    access: 'authenticated',
    grants: { ADMIN: ALL, DOCTOR: READ_CREATE_UPDATE, NURSE: READ_CREATE_UPDATE, BILLING: READ },
  },
  {
    // The patient service's audit trail ("users, audit log" in the contract's table).
    prefix: '/api/audit',
    service: 'patient',
    upstreamPrefix: '/audit',
    forwardedPrefix: '/api',
    access: 'authenticated',
    grants: { ADMIN: READ },
  },
  {
    prefix: '/api/billing',
    service: 'billing',
    upstreamPrefix: '/billing',
    forwardedPrefix: '/api',
    access: 'authenticated',
    grants: { ADMIN: ALL, BILLING: ALL },
  },
  {
    prefix: '/api/analytics',
    service: 'analytics',
    upstreamPrefix: '/analytics',
    forwardedPrefix: '/api',
    access: 'authenticated',
    grants: { ADMIN: READ, ANALYST: READ },
  },
  {
    prefix: '/api/appointments',
    service: 'appointment',
    upstreamPrefix: '/appointments',
    forwardedPrefix: '/api',
    access: 'authenticated',
    grants: { ADMIN: ALL, DOCTOR: ALL, NURSE: READ_CREATE_UPDATE },
  },
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

/**
 * The route a request URL (path and query) belongs to, or undefined. Prefixes match regardless of
 * case, as the services' routers do: `/auth/USERS` must not slip past `/auth/users`'s roles.
 */
export function matchRoute(url: string, table: readonly GatewayRoute[] = ROUTE_TABLE): RouteMatch | undefined {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  const comparable = path.toLowerCase();
  for (const route of table) {
    if (comparable !== route.prefix && !comparable.startsWith(`${route.prefix}/`)) continue;
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

/** Whether a role may use a method on a protected route. */
export function isGranted(route: ProtectedRoute, method: string, role: Role): boolean {
  const methods: readonly string[] = route.grants[role] ?? [];
  return methods.includes(method.toUpperCase());
}

/**
 * True for a path a service might resolve differently from the gateway (`..`, `.`, an empty
 * segment, an encoded slash or backslash, broken percent-encoding): such a path could slip past a
 * route's checks.
 */
export function isAmbiguousPath(url: string): boolean {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const segments = path.split('/');
  // `/a//b`: the leading and a trailing empty segment are ordinary, one in between is not.
  if (segments.slice(1, -1).includes('')) return true;
  return segments.some((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    return decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\');
  });
}
