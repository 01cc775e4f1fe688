import { DomainError, FieldError } from '@pm/platform';

/** The shortest and longest reason that breaks the glass. */
export const ACCESS_REASON_MIN = 10;
export const ACCESS_REASON_MAX = 500;

/** A restricted record's clinical entries, asked for by a clinician outside its care team. */
export class RestrictedRecordError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_RECORD_RESTRICTED',
    status: 403,
    description: "The patient's record is restricted to its care team; repeat a read with an X-Access-Reason header to break the glass",
    detail:
      "The patient's record is restricted to its care team. In an emergency, repeat the request with an X-Access-Reason header " +
      `(at least ${ACCESS_REASON_MIN} characters) to break the glass: it opens one hour of read-only access to this record's clinical entries, audited with your reason.`,
  };
}

/** Breaking the glass opens reads only: a write to a restricted record stays for its care team. */
export class RestrictedRecordWriteError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_RECORD_RESTRICTED_WRITE',
    status: 403,
    description: "The patient's record is restricted to its care team; breaking the glass opens reads only",
    detail: "The patient's record is restricted to its care team: only its care team may change it (breaking the glass opens reads only).",
  };
}

/** X-Access-Reason too short or too long to say why the glass is broken. */
export class AccessReasonInvalidError extends FieldError {
  static readonly spec = {
    code: 'CLINICAL_ACCESS_REASON_INVALID',
    status: 400,
    description: `X-Access-Reason must be ${ACCESS_REASON_MIN} to ${ACCESS_REASON_MAX} characters`,
  };

  constructor() {
    super('X-Access-Reason', `X-Access-Reason must say why, in ${ACCESS_REASON_MIN} to ${ACCESS_REASON_MAX} characters`);
  }
}

/** Restricting or lifting a restriction: ADMIN, or a DOCTOR of the patient's care team. */
export class NotTreatingDoctorError extends DomainError {
  static readonly spec = {
    code: 'RECORD_RESTRICTION_NOT_TREATING',
    status: 403,
    description: "Only ADMIN or a DOCTOR of the patient's care team may restrict the record or lift its restriction",
    detail: "Only ADMIN or a DOCTOR of the patient's care team may restrict the record or lift its restriction",
  };
}

/** Every error of restricted records and the care team, for `@ApiErrors` and the catalogue test. */
export const RecordAccessErrors = {
  Restricted: RestrictedRecordError,
  RestrictedWrite: RestrictedRecordWriteError,
  AccessReasonInvalid: AccessReasonInvalidError,
  NotTreating: NotTreatingDoctorError,
};
