import { DomainError, FieldError } from '@pm/platform';

/** The medical record's errors, each with its stable code; the one exception filter answers them. */
export class ClinicalEntryNotFoundError extends DomainError {
  static readonly spec = { code: 'CLINICAL_ENTRY_NOT_FOUND', status: 404, description: 'The patient has no entry of this kind with this id' };

  constructor(noun: string) {
    super(`The patient has no ${noun} with this id`);
  }
}

/** An If-Match named a version the entry no longer (or never) had. */
export class ClinicalEntryVersionMismatchError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_ENTRY_VERSION_MISMATCH',
    status: 412,
    description: 'If-Match names a version the entry no longer has; read it again',
    detail: 'The entry was changed since the version named in If-Match',
  };
}

/** An entry marked entered-in-error is kept as it was: it cannot be corrected or marked again. */
export class ClinicalEntryEnteredInErrorError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_ENTRY_ENTERED_IN_ERROR',
    status: 409,
    description: 'The entry was marked entered-in-error; record a new one instead',
    detail: 'The entry was marked entered-in-error and is kept as it was; record a new one instead',
  };
}

/** An addendum must amend an existing note of the same patient. */
export class AmendedNoteNotFoundError extends FieldError {
  static readonly spec = { code: 'CLINICAL_AMENDED_NOTE_NOT_FOUND', status: 400, description: 'amends names no note of this patient' };

  constructor() {
    super('amends', 'amends must name a note of this patient');
  }
}

/** A medication whose coding is an active allergy's substance: recorded only when the prescriber acknowledges it. */
export class MedicationAllergyConflictError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_MEDICATION_ALLERGY',
    status: 409,
    description: "The medication's coding matches an active allergy of the patient (allergies names it); repeat with acknowledgeAllergy=true",
  };

  constructor(readonly allergyIds: string[]) {
    super("The medication matches an active allergy of the patient; repeat with acknowledgeAllergy=true to record it anyway", {
      fields: { allergies: allergyIds },
    });
  }
}

/** "No known allergies" contradicts an active allergy: that allergy must be resolved or marked in error first. */
export class AllergiesKnownError extends DomainError {
  static readonly spec = {
    code: 'CLINICAL_ALLERGIES_KNOWN',
    status: 409,
    description: '"No known allergies" cannot be recorded while the patient has an active allergy (allergies names them)',
  };

  constructor(readonly allergyIds: string[]) {
    super('"No known allergies" cannot be recorded while the patient has an active allergy', { fields: { allergies: allergyIds } });
  }
}

/** Every error of the medical record, for `@ApiErrors` and the catalogue test. */
export const ClinicalErrors = {
  NotFound: ClinicalEntryNotFoundError,
  VersionMismatch: ClinicalEntryVersionMismatchError,
  EnteredInError: ClinicalEntryEnteredInErrorError,
  AmendedNoteNotFound: AmendedNoteNotFoundError,
  MedicationAllergyConflict: MedicationAllergyConflictError,
  AllergiesKnown: AllergiesKnownError,
};
