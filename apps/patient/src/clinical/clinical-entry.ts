import type { ClinicalKind } from './clinical-kinds';

/** Who marked an entry entered-in-error, when and why. */
export interface EnteredInError {
  at: Date;
  by: string;
  reason: string;
}

/**
 * One entry of a patient's medical record, decrypted. `details` holds what differs per kind (the
 * request's fields but the status), `effectiveAt` when it happened (a vital sign's time taken;
 * for the others, when it was recorded), so every kind sorts newest first the same way.
 */
export interface ClinicalEntry {
  id: string;
  patientId: string;
  kind: ClinicalKind;
  status: string;
  /** The vital sign's LOINC code (kept in clear: the chart picks the latest per code); null for other kinds. */
  code: string | null;
  effectiveAt: Date;
  details: Record<string, unknown>;
  version: number;
  recordedBy: string;
  recordedAt: Date;
  updatedBy: string;
  updatedAt: Date;
  enteredInError: EnteredInError | null;
}

/**
 * What a change writes: the fields a caller sets. effectiveAt null means "when it is recorded"
 * (a correction keeps the time it had).
 */
export type ClinicalEntryFields = Pick<ClinicalEntry, 'status' | 'code' | 'details'> & { effectiveAt: Date | null };

export const CLINICAL_CHANGES = ['RECORDED', 'CORRECTED', 'ENTERED_IN_ERROR'] as const;
export type ClinicalChange = (typeof CLINICAL_CHANGES)[number];

/** One version of an entry: the entry as that change left it. */
export interface ClinicalEntryVersion {
  version: number;
  change: ClinicalChange;
  changedBy: string;
  changedAt: Date;
  entry: ClinicalEntry;
}

export interface ClinicalPage {
  items: ClinicalEntry[];
  total: number;
}
