import { CLINICAL_KINDS, ClinicalKind } from '../clinical/clinical-kinds';
import { AuditAction } from './audit-entry.entity';

/** How an access to a route is audited: its action and, for the medical record, the kind of entry. */
export interface AuditedRoute {
  action: AuditAction;
  /**
   * A kind of clinical entry, `record` for the chart (every kind at once), or who may read the
   * record: its `restriction` and its `care-team`.
   */
  entryKind?: ClinicalKind | 'record' | 'restriction' | 'care-team';
}

function clinicalRoutes(kind: ClinicalKind): Record<string, AuditedRoute> {
  const list = `/patients/:id/${kind}`;
  const entry = `${list}/:entryId`;
  return {
    [`GET ${list}`]: { action: 'LIST', entryKind: kind },
    [`POST ${list}`]: { action: 'CREATE', entryKind: kind },
    [`GET ${entry}`]: { action: 'READ', entryKind: kind },
    [`PUT ${entry}`]: { action: 'UPDATE', entryKind: kind },
    [`POST ${entry}/entered-in-error`]: { action: 'UPDATE', entryKind: kind },
    [`GET ${entry}/history`]: { action: 'READ', entryKind: kind },
  };
}

/** A clinical FHIR resource (`/fhir/R4/Condition`...) is audited as the kind of entry it carries. */
const FHIR_CLINICAL_KINDS: Readonly<Record<string, ClinicalKind>> = {
  AllergyIntolerance: 'allergies',
  Condition: 'conditions',
  MedicationStatement: 'medications',
  Observation: 'vitals',
};

function fhirClinicalRoutes([type, kind]: [string, ClinicalKind]): Record<string, AuditedRoute> {
  return {
    [`GET /fhir/R4/${type}`]: { action: 'LIST', entryKind: kind },
    [`GET /fhir/R4/${type}/:id`]: { action: 'READ', entryKind: kind },
    [`POST /fhir/R4/${type}`]: { action: 'CREATE', entryKind: kind },
  };
}

// The routes on patient records, as Express matched them; refusals elsewhere (the audit log
// itself, health) are not accesses to patient records.
const AUDITED_ROUTES: Readonly<Record<string, AuditedRoute>> = {
  'GET /patients': { action: 'LIST' },
  'GET /patients/:id': { action: 'READ' },
  'POST /patients': { action: 'CREATE' },
  'PUT /patients/:id': { action: 'UPDATE' },
  'DELETE /patients/:id': { action: 'DELETE' },
  'POST /patients/:id/restore': { action: 'RESTORE' },
  'GET /patients/:id/record': { action: 'READ', entryKind: 'record' },
  'GET /patients/:id/restriction': { action: 'READ', entryKind: 'restriction' },
  'POST /patients/:id/restriction': { action: 'UPDATE', entryKind: 'restriction' },
  'DELETE /patients/:id/restriction': { action: 'UPDATE', entryKind: 'restriction' },
  'GET /patients/:id/care-team': { action: 'READ', entryKind: 'care-team' },
  'POST /patients/:id/care-team': { action: 'UPDATE', entryKind: 'care-team' },
  'DELETE /patients/:id/care-team/:userId': { action: 'UPDATE', entryKind: 'care-team' },
  ...Object.assign({}, ...CLINICAL_KINDS.map(clinicalRoutes)),
  'GET /fhir/R4/Patient': { action: 'LIST' },
  'GET /fhir/R4/Patient/:id': { action: 'READ' },
  'POST /fhir/R4/Patient': { action: 'CREATE' },
  // Everything the record holds, as the chart.
  'GET /fhir/R4/Patient/:id/$everything': { action: 'READ', entryKind: 'record' },
  ...Object.assign({}, ...Object.entries(FHIR_CLINICAL_KINDS).map(fhirClinicalRoutes)),
};

/** The audit of a route (method and Express path); undefined for a route that is not about patient records. */
export function auditedRoute(method: string, routePath: string | undefined): AuditedRoute | undefined {
  return routePath === undefined ? undefined : AUDITED_ROUTES[`${method.toUpperCase()} ${routePath}`];
}
