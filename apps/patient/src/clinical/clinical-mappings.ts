import type { Type } from '@nestjs/common';
import type { ClinicalEntry, ClinicalEntryFields } from './clinical-entry';
import { CLINICAL_RULES, ClinicalKind } from './clinical-kinds';
import { AllergyRequest, ConditionRequest, MedicationRequest, NoteRequest, VitalSignRequest } from './dto/clinical-requests';
import {
  AllergyResponse,
  ClinicalEntryResponse,
  ConditionResponse,
  MedicationResponse,
  NoteResponse,
  VitalSignResponse,
} from './dto/clinical-responses';
import { VITAL_SIGNS } from './vital-signs';

/** How one kind's requests become entry fields and its entries become answers. */
export interface ClinicalMapping {
  readonly request: Type<object>;
  readonly response: Type<ClinicalEntryResponse>;
  toFields(body: object): ClinicalEntryFields;
  /** The kind's own fields of the answer (the common ones are added by toResponse). */
  toDetails(entry: ClinicalEntry): object;
}

/** Drops what is absent, so an answer does not list `"reaction": undefined`. */
function present<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)) as Partial<T>;
}

const defaultStatus = (kind: ClinicalKind) => CLINICAL_RULES[kind].statuses[0];

/** A kind whose status travels as the body's `field` (`clinicalStatus`, `status`); the rest of the body is its details. */
function statusIn(kind: ClinicalKind, field: string, request: Type<object>, response: Type<ClinicalEntryResponse>): ClinicalMapping {
  return {
    request,
    response,
    toFields: (body) => {
      const { [field]: status, ...details } = body as Record<string, unknown>;
      return { status: (status as string | undefined) ?? defaultStatus(kind), code: null, effectiveAt: null, details: present(details) };
    },
    toDetails: (entry) => ({ ...entry.details, [field]: entry.status }),
  };
}

export const CLINICAL_MAPPINGS: Readonly<Record<ClinicalKind, ClinicalMapping>> = {
  allergies: statusIn('allergies', 'clinicalStatus', AllergyRequest, AllergyResponse),
  conditions: statusIn('conditions', 'clinicalStatus', ConditionRequest, ConditionResponse),
  medications: statusIn('medications', 'status', MedicationRequest, MedicationResponse),
  vitals: {
    request: VitalSignRequest,
    response: VitalSignResponse,
    // The code and unit stay in clear (the chart picks the latest per code); the values are sealed.
    toFields: (body) => {
      const { code, takenAt, value, systolic, diastolic } = body as VitalSignRequest;
      return { status: defaultStatus('vitals'), code, effectiveAt: new Date(takenAt), details: present({ value, systolic, diastolic }) };
    },
    toDetails: (entry) => {
      const vital = VITAL_SIGNS[entry.code!];
      return { code: vital.code, display: vital.display, ...entry.details, unit: vital.unit, takenAt: entry.effectiveAt.toISOString() };
    },
  },
  notes: {
    request: NoteRequest,
    response: NoteResponse,
    toFields: (body) => ({ status: defaultStatus('notes'), code: null, effectiveAt: null, details: present({ ...(body as NoteRequest) }) }),
    toDetails: (entry) => entry.details,
  },
};

/** An entry as its kind answers it: the common fields, then the kind's own. */
export function toResponse(entry: ClinicalEntry): ClinicalEntryResponse {
  const common: ClinicalEntryResponse = {
    id: entry.id,
    patientId: entry.patientId,
    version: entry.version,
    recordedBy: entry.recordedBy,
    recordedAt: entry.recordedAt.toISOString(),
    updatedBy: entry.updatedBy,
    updatedAt: entry.updatedAt.toISOString(),
  };
  if (entry.enteredInError) {
    common.enteredInError = { at: entry.enteredInError.at.toISOString(), by: entry.enteredInError.by, reason: entry.enteredInError.reason };
  }
  return { ...common, ...CLINICAL_MAPPINGS[entry.kind].toDetails(entry) };
}
