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
