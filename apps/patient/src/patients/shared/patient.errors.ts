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

/** A new patient looks like one already registered (same birth date, similar name); the client may confirm it. */
export class PatientLikelyDuplicateError extends Error {
  constructor(readonly candidateIds: string[]) {
    super('A patient with a similar name and the same birth date already exists; confirm with confirmDuplicate=true');
  }
}
