/** Errors of the patients module; the HTTP layer maps them to problems in one place. */
export class PatientNotFoundError extends Error {
  constructor(readonly patientId: string) {
    super(`No patient with id ${patientId}`);
  }
}

export class PatientEmailTakenError extends Error {
  constructor() {
    super('A patient with this email already exists');
  }
}

/** An If-Match named a version the patient no longer (or never) had. */
export class PatientVersionMismatchError extends Error {
  constructor(readonly patientId: string) {
    super('The patient was changed since the version named in If-Match');
  }
}

/** An Idempotency-Key already used by this caller for a create with other details. */
export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was already used for a create with other details');
  }
}
