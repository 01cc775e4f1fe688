import { ALL_ROLES, type Role } from './roles';

/** The methods a role can be granted; anything else (TRACE, CONNECT...) is refused to everyone. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// The contract's words ("read", "create", "update", "all") as methods.
const READ = ['GET', 'HEAD'] as const satisfies readonly HttpMethod[];
const READ_CREATE_UPDATE = [...READ, 'POST', 'PUT', 'PATCH'] as const satisfies readonly HttpMethod[];
const ALL = HTTP_METHODS;

/** Which methods each role may use in an area; a role that is not listed may use none. */
export type RoleGrants = Readonly<Partial<Record<Role, readonly HttpMethod[]>>>;

/** The services the policy covers: the gateway's upstreams, by the same names. */
export const POLICY_SERVICES = ['auth', 'patient', 'billing', 'analytics', 'appointment'] as const;
export type PolicyService = (typeof POLICY_SERVICES)[number];

/** A route as its service declares it, with OpenAPI's path template: `GET /patients/{id}`. */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

/** Operational endpoints of every service: the network (not a token) protects them; not in the policy. */
export const OPERATIONAL_PATHS = /^\/(health\/(live|ready)|metrics|api-docs)$/;

/** Needs no access token (login, refresh, the JWKS, /validate which reads its own header). */
export const PUBLIC = 'public';

export interface RouteRule {
  /**
   * Fewer roles than the area grants the method (never more: the gateway checks the area first).
   * How a sub-resource refuses a write to a role that may read, or keeps a record to ADMIN.
   */
  readonly roles?: readonly Role[];
  /** The fields of the answer (of each item, for a list) a role sees; a role not named sees them all. */
  readonly fields?: Readonly<Partial<Record<Role, readonly string[]>>>;
}

interface AccessArea {
  readonly service: PolicyService;
  /** Path prefix as the service sees it; every route of the area lies below it. */
  readonly path: string;
  /**
   * The contract's "Who may do what" for the area, checked by the gateway on every request below
   * it. Absent: the gateway lets requests through and the service checks each route's roles.
   */
  readonly grants?: RoleGrants;
  readonly routes: Readonly<Record<RouteKey, RouteRule | typeof PUBLIC>>;
}

/** The kinds of entry a patient's medical record holds, by their path below the patient. */
export const CLINICAL_KINDS = ['allergies', 'conditions', 'medications', 'vitals', 'notes'] as const;
export type ClinicalKind = (typeof CLINICAL_KINDS)[number];

// The medical record: BILLING and ANALYST see none of it; ADMIN reads it all and writes nothing clinical.
const CLINICAL_READERS = ['ADMIN', 'DOCTOR', 'NURSE'] as const satisfies readonly Role[];

/**
 * The routes of one kind of clinical entry below a patient (`/patients/{id}/allergies`...): the
 * readers read, the kind's `writers` record, correct and mark entered-in-error. Notes are never
 * corrected (an addendum is a new note), so they have no PUT.
 */
function clinicalEntryRoutes(kind: ClinicalKind, writers: readonly Role[], { correctable }: { correctable: boolean }): Record<RouteKey, RouteRule> {
  const list = `/patients/{id}/${kind}`;
  const entry = `${list}/{entryId}`;
  const routes: Record<RouteKey, RouteRule> = {
    [`GET ${list}`]: { roles: CLINICAL_READERS },
    [`POST ${list}`]: { roles: writers },
    [`GET ${entry}`]: { roles: CLINICAL_READERS },
    [`POST ${entry}/entered-in-error`]: { roles: writers },
    [`GET ${entry}/history`]: { roles: CLINICAL_READERS },
  };
  if (correctable) routes[`PUT ${entry}` as RouteKey] = { roles: writers };
  return routes;
}

/** A clinical FHIR resource: read and search as the kind's REST routes, created by the kind's writers. */
function fhirClinicalRoutes(type: string, writers: readonly Role[]): Record<RouteKey, RouteRule> {
  return {
    [`GET /fhir/R4/${type}`]: { roles: CLINICAL_READERS },
    [`GET /fhir/R4/${type}/{id}`]: { roles: CLINICAL_READERS },
    [`POST /fhir/R4/${type}`]: { roles: writers },
  };
}

/** Only id, name, email and address of a patient (contract: BILLING reads nothing medical). */
const PATIENT_CONTACT = ['id', 'name', 'email', 'address'] as const;

/**
 * Who may do what, once for the gateway and every service (the contract's table). Paths are the
 * services' own (`/patients/{id}`, not `/api/patients/{id}`): a service checks its routes without
 * knowing where the gateway publishes it, and the gateway's route table maps its prefixes to these
 * areas by (service, upstream prefix). A route's roles are the roles its area grants the route's
 * method unless the route names fewer.
 */
export const ACCESS_POLICY = {
  // Auth's own routes: public at the gateway (auth checks its tokens itself).
  session: {
    service: 'auth',
    path: '',
    routes: {
      'POST /login': PUBLIC,
      'POST /refresh': PUBLIC,
      'GET /.well-known/jwks.json': PUBLIC,
      'GET /validate': PUBLIC,
      'POST /logout': { roles: ALL_ROLES },
      'GET /me': { roles: ALL_ROLES },
      // Booking a doctor asks with the booking caller's token.
      'GET /doctors/{id}': { roles: ['ADMIN', 'DOCTOR', 'NURSE'] },
    },
  },
  users: {
    service: 'auth',
    path: '/users',
    grants: { ADMIN: ALL },
    routes: {
      'POST /users': {},
      'GET /users': {},
      'GET /users/{id}': {},
      'POST /users/{id}/disable': {},
      'POST /users/{id}/enable': {},
      'PUT /users/{id}/role': {},
      'POST /users/{id}/password': {},
    },
  },
  // Login throttles: ADMIN lists and lifts them.
  throttles: {
    service: 'auth',
    path: '/throttles',
    grants: { ADMIN: [...READ, 'DELETE'] },
    routes: { 'GET /throttles': {}, 'DELETE /throttles/{key}': {} },
  },
  patients: {
    service: 'patient',
    path: '/patients',
    // DOCTOR's DELETE is for lifting a restriction: every other DELETE of the area names ADMIN alone.
    grants: { ADMIN: ALL, DOCTOR: [...READ_CREATE_UPDATE, 'DELETE'], NURSE: READ_CREATE_UPDATE, BILLING: READ },
    routes: {
      'GET /patients': { fields: { BILLING: PATIENT_CONTACT } },
      'GET /patients/{id}': { fields: { BILLING: PATIENT_CONTACT } },
      'POST /patients': {},
      'PUT /patients/{id}': {},
      'DELETE /patients/{id}': { roles: ['ADMIN'] },
      // Undoing a removal is for whoever may remove.
      'POST /patients/{id}/restore': { roles: ['ADMIN'] },
      // Part of the audit log (contract: ADMIN only).
      'GET /patients/{id}/access-log': { roles: ['ADMIN'] },
      // The chart: demographics and the medical record in one call.
      'GET /patients/{id}/record': { roles: CLINICAL_READERS },
      // A restricted record: its clinical entries are for its care team (and ADMIN). ADMIN or a
      // DOCTOR of the care team restricts and lifts (the service checks the care team).
      'GET /patients/{id}/restriction': { roles: CLINICAL_READERS },
      'POST /patients/{id}/restriction': { roles: ['ADMIN', 'DOCTOR'] },
      'DELETE /patients/{id}/restriction': { roles: ['ADMIN', 'DOCTOR'] },
      'GET /patients/{id}/care-team': { roles: CLINICAL_READERS },
      'POST /patients/{id}/care-team': { roles: ['ADMIN'] },
      'DELETE /patients/{id}/care-team/{userId}': { roles: ['ADMIN'] },
      // NURSE records vitals, allergies and notes, not diagnoses or prescriptions.
      ...clinicalEntryRoutes('allergies', ['DOCTOR', 'NURSE'], { correctable: true }),
      ...clinicalEntryRoutes('conditions', ['DOCTOR'], { correctable: true }),
      ...clinicalEntryRoutes('medications', ['DOCTOR'], { correctable: true }),
      ...clinicalEntryRoutes('vitals', ['DOCTOR', 'NURSE'], { correctable: true }),
      ...clinicalEntryRoutes('notes', ['DOCTOR', 'NURSE'], { correctable: false }),
    },
  },
  // FHIR R4 on the patient service (`/fhir/R4/...`, forwarded unchanged by the gateway): the same
  // roles as the REST routes it translates. BILLING reads contacts over REST only: the FHIR
  // Patient has no contact-only projection, so BILLING (and ANALYST) get 403 on all of FHIR.
  fhirPatient: {
    service: 'patient',
    path: '/fhir/R4',
    grants: { ADMIN: [...READ, 'POST'], DOCTOR: [...READ, 'POST'], NURSE: [...READ, 'POST'] },
    routes: {
      'GET /fhir/R4/Patient': {},
      'GET /fhir/R4/Patient/{id}': {},
      'POST /fhir/R4/Patient': {},
      'GET /fhir/R4/Patient/{id}/$everything': { roles: CLINICAL_READERS },
      ...fhirClinicalRoutes('AllergyIntolerance', ['DOCTOR', 'NURSE']),
      ...fhirClinicalRoutes('Condition', ['DOCTOR']),
      ...fhirClinicalRoutes('MedicationStatement', ['DOCTOR']),
      ...fhirClinicalRoutes('Observation', ['DOCTOR', 'NURSE']),
    },
  },
  // The patient service's audit trail ("users, audit log" in the contract's table).
  audit: {
    service: 'patient',
    path: '/audit',
    grants: { ADMIN: READ },
    routes: { 'GET /audit': {} },
  },
  billing: {
    service: 'billing',
    path: '/billing',
    grants: { ADMIN: ALL, BILLING: ALL },
    routes: {
      'GET /billing/accounts/{patientId}': {},
      'GET /billing/invoices': {},
      'GET /billing/invoices/{id}': {},
      'POST /billing/invoices/{id}/payments': {},
    },
  },
  analytics: {
    service: 'analytics',
    path: '/analytics',
    grants: { ADMIN: READ, ANALYST: READ },
    routes: {
      'GET /analytics/appointments/summary': {},
      'GET /analytics/patients/summary': {},
      'GET /analytics/revenue': {},
      'GET /analytics/stream': {},
    },
  },
  appointments: {
    service: 'appointment',
    path: '/appointments',
    grants: { ADMIN: ALL, DOCTOR: ALL, NURSE: READ_CREATE_UPDATE },
    routes: {
      'POST /appointments': {},
      'GET /appointments': {},
      'GET /appointments/{id}': {},
      'PATCH /appointments/{id}': {},
      'POST /appointments/{id}/check-in': {},
      // Closing a visit is a clinician's call: nurses book and check in, they do not close.
      'POST /appointments/{id}/complete': { roles: ['ADMIN', 'DOCTOR'] },
      'POST /appointments/{id}/cancel': { roles: ['ADMIN', 'DOCTOR'] },
      'POST /appointments/{id}/no-show': { roles: ['ADMIN', 'DOCTOR'] },
    },
  },

  // FHIR R4 resources of the appointment service (FHIR_SURFACE in @pm/fhir): read and search only,
  // for whoever reads appointments on the REST routes. (The patient service's FHIR areas are kept
  // in a block of their own.)
  fhirAppointments: {
    service: 'appointment',
    path: '/fhir/R4/Appointment',
    grants: { ADMIN: READ, DOCTOR: READ, NURSE: READ },
    routes: {
      'GET /fhir/R4/Appointment': {},
      'GET /fhir/R4/Appointment/{id}': {},
    },
  },
} as const satisfies Readonly<Record<string, AccessArea>>;

export type AccessAreaName = keyof typeof ACCESS_POLICY;

/** A route of the policy with its roles worked out. */
export type RouteAccessRule =
  | { readonly key: RouteKey; readonly service: PolicyService; readonly area: string; readonly access: 'public' }
  | {
      readonly key: RouteKey;
      readonly service: PolicyService;
      readonly area: string;
      readonly access: 'roles';
      /** In ALL_ROLES order, as documented ("Roles: ADMIN, DOCTOR."). */
      readonly roles: readonly Role[];
      readonly fields: Readonly<Partial<Record<Role, readonly string[]>>>;
    };

/** The area of a service that a gateway prefix maps to, by the path the service receives. */
export interface GatewayArea {
  readonly service: PolicyService;
  readonly path: string;
  /** Undefined: the gateway lets requests through (the service checks). */
  readonly grants?: RoleGrants;
}

export class AccessPolicyError extends Error {
  override readonly name = 'AccessPolicyError';
}

const methodOf = (key: RouteKey) => key.slice(0, key.indexOf(' ')) as HttpMethod;
const pathOf = (key: RouteKey) => key.slice(key.indexOf(' ') + 1);
const isBelow = (path: string, prefix: string) => prefix === '' || path === prefix || path.startsWith(`${prefix}/`);

/**
 * Works out every route's roles and refuses a policy that could not hold: a route outside its
 * area (or inside a narrower area of its service, which the gateway would check instead), a route
 * given more roles than its area grants, a route of an ungranted area with no roles, a route named
 * twice.
 */
export function resolveAccessPolicy(policy: Readonly<Record<string, AccessArea>>): ReadonlyMap<RouteKey, RouteAccessRule> {
  const rules = new Map<RouteKey, RouteAccessRule>();
  const areas = Object.entries(policy);
  for (const [name, area] of areas) {
    for (const [key, rule] of Object.entries(area.routes) as [RouteKey, RouteRule | typeof PUBLIC][]) {
      const where = `${key} (${name})`;
      if (rules.has(key)) throw new AccessPolicyError(`${where} is named twice`);
      const path = pathOf(key);
      const closest = areas
        .filter(([, other]) => other.service === area.service && isBelow(path, other.path))
        .sort(([, a], [, b]) => b.path.length - a.path.length)[0];
      if (closest?.[1] !== area) throw new AccessPolicyError(`${where} lies outside its area's path ${area.path || '/'}`);
      if (rule === PUBLIC) {
        if (area.grants) throw new AccessPolicyError(`${where} is public in an area the gateway checks`);
        rules.set(key, { key, service: area.service, area: name, access: 'public' });
        continue;
      }
      const granted = ALL_ROLES.filter((role) => area.grants?.[role]?.includes(methodOf(key)));
      const roles = ALL_ROLES.filter((role) => (rule.roles ?? granted).includes(role));
      if (!rule.roles && !area.grants) throw new AccessPolicyError(`${where} names no roles and its area grants none`);
      const beyond = area.grants ? roles.filter((role) => !granted.includes(role)) : [];
      if (beyond.length) throw new AccessPolicyError(`${where} gives ${beyond.join(', ')} more than the area grants`);
      if (!roles.length) throw new AccessPolicyError(`${where} is open to no role`);
      const unread = Object.keys(rule.fields ?? {}).filter((role) => !roles.includes(role as Role));
      if (unread.length) throw new AccessPolicyError(`${where} projects fields for ${unread.join(', ')}, which may not call it`);
      rules.set(key, { key, service: area.service, area: name, access: 'roles', roles, fields: rule.fields ?? {} });
    }
  }
  return rules;
}

const RULES = resolveAccessPolicy(ACCESS_POLICY);

/** Every route of the policy. */
export function accessRules(): RouteAccessRule[] {
  return [...RULES.values()];
}

/** The rule of one route; a key the policy does not name is a programming error. */
export function accessRule(key: RouteKey): RouteAccessRule {
  const rule = RULES.get(key);
  if (!rule) throw new AccessPolicyError(`No access policy for ${key}: add it to ACCESS_POLICY`);
  return rule;
}

/**
 * The fields of a route's answer a role sees: undefined for all of them, [] for none (a role that
 * may not call the route, so a role added later sees nothing until the policy says otherwise).
 */
export function visibleFields(key: RouteKey, role: Role): readonly string[] | undefined {
  const rule = accessRule(key);
  if (rule.access === 'public') return undefined;
  if (!rule.roles.includes(role)) return [];
  return rule.fields[role];
}

/** The area a gateway route forwards into: the service's area whose path is the upstream prefix. */
export function gatewayArea(service: PolicyService, upstreamPrefix: string): GatewayArea {
  const area = Object.values<AccessArea>(ACCESS_POLICY).find((a) => a.service === service && a.path === upstreamPrefix);
  if (!area) throw new AccessPolicyError(`No access area of ${service} has the path ${upstreamPrefix || "''"}`);
  return area;
}

const DOCUMENTED_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The routes of an OpenAPI document's `paths`, as policy keys (operational endpoints left out). */
export function documentedRoutes(paths: Readonly<Record<string, object>>): RouteKey[] {
  return Object.entries(paths)
    .filter(([path]) => !OPERATIONAL_PATHS.test(path))
    .flatMap(([path, item]) => DOCUMENTED_METHODS.filter((method) => method in item).map((method): RouteKey => `${method.toUpperCase()} ${path}` as RouteKey));
}

/** How a service's documented routes and the policy differ: both lists are empty when they agree. */
export function policyCoverage(service: PolicyService, documented: readonly RouteKey[]): { withoutPolicy: RouteKey[]; undocumented: RouteKey[] } {
  const ofService = accessRules().filter((rule) => rule.service === service).map((rule) => rule.key);
  return {
    withoutPolicy: documented.filter((key) => !ofService.includes(key)),
    undocumented: ofService.filter((key) => !documented.includes(key)),
  };
}

/**
 * The area of a service that a path lies in (the one with the longest path above it), or
 * undefined when none does. The gateway finds the area of each FHIR resource type's path this way.
 */
export function areaCovering(service: PolicyService, path: string): GatewayArea | undefined {
  return Object.values<AccessArea>(ACCESS_POLICY)
    .filter((area) => area.service === service && area.path !== '' && isBelow(path, area.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
