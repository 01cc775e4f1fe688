import { areaCovering, gatewayArea, type Role, type RoleGrants } from '@pm/auth-tokens';
import { FHIR_BASE, FHIR_SURFACE } from '@pm/fhir';
import type { UpstreamService } from './upstream-services';

// Re-exported for the gateway's own code and tests; the grants live in @pm/auth-tokens' ACCESS_POLICY.
export { HTTP_METHODS, type HttpMethod, type RoleGrants } from '@pm/auth-tokens';

interface RouteBase {
  /** Path prefix at the gateway; matches itself and every path below it. */
  readonly prefix: string;
  readonly service: UpstreamService;
  /** What replaces `prefix` in the path the service receives. */
  readonly upstreamPrefix: string;
  /** Sent as X-Forwarded-Prefix so a service builds `Location` headers a client can follow. */
  readonly forwardedPrefix: string;
  /** The FHIR resource type the route serves (`/fhir/R4/{type}`), for FHIR routes. */
  readonly fhirType?: string;
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
 * A route of the gateway: where it forwards (routing data, the gateway's own), and who may use it,
 * read from ACCESS_POLICY's area of the service at the upstream prefix. An area without grants
 * (auth's own routes) is public here: the service checks its tokens itself.
 */
function route(prefix: string, service: UpstreamService, upstreamPrefix: string, forwardedPrefix: string): GatewayRoute {
  const { grants } = gatewayArea(service, upstreamPrefix);
  const base = { prefix, service, upstreamPrefix, forwardedPrefix };
  return grants ? { ...base, access: 'authenticated', grants } : { ...base, access: 'public' };
}

/**
 * The route of a FHIR resource type: forwarded unchanged (`/fhir/R4/{type}...`) to the service that
 * owns it, with the grants of that service's policy area covering the path. A type whose service
 * has no such area yet is refused to every role (403) rather than let through unchecked.
 */
function fhirRoute(type: string, service: UpstreamService & ('patient' | 'appointment')): GatewayRoute {
  const path = `${FHIR_BASE}/${type}`;
  const grants = areaCovering(service, path)?.grants ?? {};
  return { prefix: path, service, upstreamPrefix: path, forwardedPrefix: '', fhirType: type, access: 'authenticated', grants };
}

/** One route per FHIR resource type of FHIR_SURFACE, so the gateway routes exactly what is served. */
export const FHIR_ROUTES: readonly GatewayRoute[] = FHIR_SURFACE.map((resource) => fhirRoute(resource.type, resource.service));

/**
 * Every route of the gateway (the contract's REST section, and FHIR by resource type). The first matching prefix wins. The
 * services check each route's roles again themselves, from the same policy (and BILLING's patient
 * projection there).
 */
export const ROUTE_TABLE: readonly GatewayRoute[] = [
  route('/auth/users', 'auth', '/users', '/auth'),
  route('/auth/throttles', 'auth', '/throttles', '/auth'),
  route('/auth', 'auth', '', '/auth'),
  route('/api/patients', 'patient', '/patients', '/api'),
  route('/api/audit', 'patient', '/audit', '/api'),
  route('/api/billing', 'billing', '/billing', '/api'),
  route('/api/analytics', 'analytics', '/analytics', '/api'),
  route('/api/appointments', 'appointment', '/appointments', '/api'),
  ...FHIR_ROUTES,
];

/** The prefixes the proxy pipeline is mounted on: every path below them is the gateway's to answer. */
export const PROXIED_PREFIXES = ['/auth', '/api', '/fhir'];

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
    const prefix = route.prefix.toLowerCase();
    if (comparable !== prefix && !comparable.startsWith(`${prefix}/`)) continue;
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
