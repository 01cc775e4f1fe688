import { DomainError } from '@pm/platform';

/** The patients module's errors, each with its stable code; the one exception filter answers them. */
export class PatientNotFoundError extends DomainError {
  static readonly spec = { code: 'PATIENT_NOT_FOUND', status: 404, description: 'No patient has this id (or it was deleted)' };

  constructor(readonly patientId: string) {
    super(`No patient with id ${patientId}`);
  }
}

export class PatientEmailTakenError extends DomainError {
  static readonly spec = { code: 'PATIENT_EMAIL_TAKEN', status: 409, description: 'Another patient has this email' };

  constructor() {
    super('A patient with this email already exists', { fields: { errors: { email: 'A patient with this email already exists' } } });
  }
}

/** An If-Match named a version the patient no longer (or never) had. */
export class PatientVersionMismatchError extends DomainError {
  static readonly spec = { code: 'PATIENT_VERSION_MISMATCH', status: 412, description: 'If-Match names a version the patient no longer has' };

  constructor(readonly patientId: string) {
    super('The patient was changed since the version named in If-Match');
  }
}

/** An Idempotency-Key already used by this caller for a create with other details. */
export class IdempotencyKeyReusedError extends DomainError {
  static readonly spec = {
    code: 'PATIENT_IDEMPOTENCY_KEY_REUSED',
    status: 422,
    description: 'This Idempotency-Key was already used for a create with other details',
  };

  constructor() {
    const detail = 'This Idempotency-Key was already used for a create with other details';
    super(detail, { fields: { errors: { 'Idempotency-Key': detail } } });
  }
}

/** A new patient looks like one already registered (same birth date, similar name); the client may confirm it. */
export class PatientLikelyDuplicateError extends DomainError {
  static readonly spec = {
    code: 'PATIENT_LIKELY_DUPLICATE',
    status: 409,
    description: 'A patient with a similar name and the same birth date exists (candidates names them); confirm with confirmDuplicate=true',
  };

  constructor(readonly candidateIds: string[]) {
    super('A patient with a similar name and the same birth date already exists; confirm with confirmDuplicate=true', {
      fields: { candidates: candidateIds },
    });
  }
}

/** Every error of the patients module, for `@ApiErrors` and the catalogue test. */
export const PatientErrors = {
  NotFound: PatientNotFoundError,
  EmailTaken: PatientEmailTakenError,
  VersionMismatch: PatientVersionMismatchError,
  IdempotencyKeyReused: IdempotencyKeyReusedError,
  LikelyDuplicate: PatientLikelyDuplicateError,
} as const;
