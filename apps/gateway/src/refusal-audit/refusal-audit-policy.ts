import { CLINICAL_KINDS, type AccessTokenClaims, type ClinicalKind } from '@pm/auth-tokens';
import type { AuditDenialEvent } from '@pm/contracts';
import { FHIR_BASE } from '@pm/fhir';
import { isUuid } from '@pm/platform';

const PATIENTS_PREFIX = '/api/patients';

/** An access to patient records as the patient service audits it (audited-routes.ts there). */
export interface PatientAccess {
  action: string;
  /** Empty when the path names no patient, or not as a UUID. */
  patientId: string;
  /** The kind of clinical entry, `record` for the chart, `restriction` or `care-team`; empty for the patient record itself. */
  entryKind: string;
}

const ENTRY_ACTIONS: Record<string, string> = { GET: 'READ', PUT: 'UPDATE' };
const LIST_ACTIONS: Record<string, string> = { GET: 'LIST', POST: 'CREATE' };

/** The action on a clinical entry path below the patient (`allergies`, `allergies/{id}`, `allergies/{id}/history`...). */
function clinicalAction(verb: string, kind: string, entryId: string | undefined, rest: string[]): string | undefined {
  if (!(CLINICAL_KINDS as readonly string[]).includes(kind)) return undefined;
  if (entryId === undefined) return LIST_ACTIONS[verb];
  if (rest.length === 0) return ENTRY_ACTIONS[verb];
  if (rest.length > 1) return undefined;
  if (rest[0] === 'history' && verb === 'GET') return 'READ';
  return rest[0] === 'entered-in-error' && verb === 'POST' ? 'UPDATE' : undefined;
}

/**
 * The audit action of a request on patient records, the way the patient service names it, with
 * the patient id when the path names one and the kind of clinical entry; undefined for any other
 * path, which is not an access to patient records.
 */
export function patientAccessOf(method: string, path: string): PatientAccess | undefined {
  if (path !== PATIENTS_PREFIX && !path.startsWith(`${PATIENTS_PREFIX}/`)) return undefined;
  const [id, sub, ...rest] = path.slice(PATIENTS_PREFIX.length).split('/').filter(Boolean);
  const verb = method.toUpperCase();
  if (id === undefined) {
    const action = LIST_ACTIONS[verb];
    return action ? { action, patientId: '', entryKind: '' } : undefined;
  }
  // Only a well-formed id is recorded: the audit trail stores patient ids as UUIDs.
  const patientId = isUuid(id) ? id.toLowerCase() : '';
  if (sub === undefined) {
    const action = ({ GET: 'READ', PUT: 'UPDATE', DELETE: 'DELETE' } as Record<string, string>)[verb];
    return action ? { action, patientId, entryKind: '' } : undefined;
  }
  if (sub === 'restore') return rest.length === 0 && verb === 'POST' ? { action: 'RESTORE', patientId, entryKind: '' } : undefined;
  if (sub === 'record') return rest.length === 0 && verb === 'GET' ? { action: 'READ', patientId, entryKind: 'record' } : undefined;
  // Who may read a restricted record: its restriction and its care team (their changes are UPDATEs).
  if (sub === 'restriction') {
    const action = rest.length === 0 ? ({ GET: 'READ', POST: 'UPDATE', DELETE: 'UPDATE' } as Record<string, string>)[verb] : undefined;
    return action ? { action, patientId, entryKind: sub } : undefined;
  }
  if (sub === 'care-team') {
    const action = rest.length === 0 ? ({ GET: 'READ', POST: 'UPDATE' } as Record<string, string>)[verb] : rest.length === 1 && verb === 'DELETE' ? 'UPDATE' : undefined;
    return action ? { action, patientId, entryKind: sub } : undefined;
  }
  const [entryId, ...below] = rest;
  const action = clinicalAction(verb, sub, entryId, below);
  return action ? { action, patientId, entryKind: sub } : undefined;
}

/** The FHIR resource types that are a patient's clinical entries, by the entry kind the audit names. */
const FHIR_CLINICAL_KINDS: Readonly<Record<string, ClinicalKind>> = {
  allergyintolerance: 'allergies',
  condition: 'conditions',
  medicationstatement: 'medications',
  observation: 'vitals',
};

const FHIR_PATIENT_OPERATIONS: Readonly<Record<string, string>> = { $everything: 'record' };

/** The patient a FHIR search names (`patient=Patient/{id}` or the id), as a UUID; '' when none. */
function searchedPatient(query: string): string {
  const named = new URLSearchParams(query).get('patient') ?? '';
  const id = named.startsWith('Patient/') ? named.slice('Patient/'.length) : named;
  return isUuid(id) ? id.toLowerCase() : '';
}

/**
 * The audit action of a FHIR request on patient records, as for the REST paths: `Patient`
 * (read, search, create, `$everything` as the whole record) and the clinical resource types (with
 * the patient a search names); undefined for other FHIR paths (Appointment is not a patient record).
 */
export function fhirPatientAccessOf(method: string, path: string, query = ''): PatientAccess | undefined {
  if (!path.toLowerCase().startsWith(`${FHIR_BASE.toLowerCase()}/`)) return undefined;
  const [type, id, operation, ...rest] = path.slice(FHIR_BASE.length + 1).split('/').filter(Boolean);
  const verb = method.toUpperCase();
  const lowerType = (type ?? '').toLowerCase();
  if (rest.length > 0 || (lowerType !== 'patient' && !FHIR_CLINICAL_KINDS[lowerType])) return undefined;
  const entryKind = FHIR_CLINICAL_KINDS[lowerType] ?? '';
  if (id === undefined) {
    const action = LIST_ACTIONS[verb];
    return action ? { action, patientId: entryKind ? searchedPatient(query) : '', entryKind } : undefined;
  }
  if (verb !== 'GET') return undefined;
  if (operation === undefined) return { action: 'READ', patientId: lowerType === 'patient' && isUuid(id) ? id.toLowerCase() : '', entryKind };
  const operationKind = lowerType === 'patient' ? FHIR_PATIENT_OPERATIONS[operation] : undefined;
  return operationKind ? { action: 'READ', patientId: isUuid(id) ? id.toLowerCase() : '', entryKind: operationKind } : undefined;
}

export interface GatewayRefusal {
  eventId: string;
  at: Date;
  status: 401 | 403;
  method: string;
  /** The path without its query string. */
  path: string;
  /** The query string without its `?` ('' when none): a FHIR search names its patient there. */
  query?: string;
  /** Verified claims when the refusal was a 403; none for a 401 (no token could be trusted). */
  actor?: Pick<AccessTokenClaims, 'userId' | 'role'>;
  requestId: string;
  sourceIp?: string;
}

/** The audit event of a refusal on patient records; undefined for refusals elsewhere. */
export function auditDenialOf(refusal: GatewayRefusal): AuditDenialEvent | undefined {
  const access = patientAccessOf(refusal.method, refusal.path) ?? fhirPatientAccessOf(refusal.method, refusal.path, refusal.query);
  if (!access) return undefined;
  return {
    event_id: refusal.eventId,
    occurred_at: refusal.at.getTime(),
    actor_id: refusal.actor?.userId ?? '',
    actor_role: refusal.actor?.role ?? '',
    action: access.action,
    patient_id: access.patientId,
    request_id: refusal.requestId,
    source_ip: refusal.sourceIp ?? '',
    status: refusal.status,
    entry_kind: access.entryKind,
  };
}
