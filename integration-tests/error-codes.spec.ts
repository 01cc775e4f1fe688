import { AccessTokenErrors } from '@pm/auth-tokens';
import { DomainError, DomainErrorClass, ProblemDetails } from '@pm/platform';
import { AppointmentErrors } from '../apps/appointment/src/appointments/appointments.errors';
import { FhirAppointmentErrors } from '../apps/appointment/src/fhir/fhir-appointments.errors';
import { LoginErrors } from '../apps/auth/src/login/login.errors';
import { SessionErrors } from '../apps/auth/src/sessions/sessions.errors';
import { UserErrors } from '../apps/auth/src/user-management/user-management.errors';
import { BillingAccountErrors } from '../apps/billing/src/accounts/billing-accounts.errors';
import { InvoiceErrors } from '../apps/billing/src/invoices/invoices.errors';
import { AuditUnavailableError } from '../apps/patient/src/audit/audit.errors';
import { ClinicalErrors } from '../apps/patient/src/clinical/clinical.errors';
import { FhirPatientErrors } from '../apps/patient/src/fhir/fhir.errors';
import { PatientErrors } from '../apps/patient/src/patients/shared/patient.errors';
import { RecordAccessErrors } from '../apps/patient/src/record-access/record-access.errors';

// Every feature's catalogue of errors: the codes are part of the contract.
const CATALOGUES: Record<string, Record<string, DomainErrorClass>> = {
  AccessTokenErrors,
  AppointmentErrors,
  AuditErrors: { Unavailable: AuditUnavailableError },
  BillingAccountErrors,
  ClinicalErrors,
  FhirAppointmentErrors,
  InvoiceErrors,
  LoginErrors,
  PatientErrors,
  RecordAccessErrors,
  FhirPatientErrors,
  SessionErrors,
  UserErrors,
};

const ID = '11111111-1111-4111-8111-111111111111';

describe('error codes', () => {
  const all = Object.values(CATALOGUES).flatMap((catalogue) => Object.values(catalogue));

  it('are unique, UPPER_SNAKE, and each names an error status', () => {
    const codes = all.map((error) => error.spec.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const { spec } of all) {
      expect({ code: spec.code, ok: /^[A-Z]+(_[A-Z]+)+$/.test(spec.code) && spec.status >= 400 && spec.status < 600 && spec.description.length > 0 }).toEqual({ code: spec.code, ok: true });
    }
  });
});

/**
 * The problem bodies each error was answered with before errors had codes (taken from the old
 * interceptors, `translateErrors` and controller try/catch): now the same, plus `code`.
 */
describe('problem bodies: unchanged but for the added code', () => {
  const cases: [string, DomainError, ProblemDetails, string][] = [
    ['patient.notFound', new PatientErrors.NotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No patient with id 11111111-1111-4111-8111-111111111111' }, 'PATIENT_NOT_FOUND'],
    ['patient.emailTaken', new PatientErrors.EmailTaken(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'A patient with this email already exists', errors: { email: 'A patient with this email already exists' } }, 'PATIENT_EMAIL_TAKEN'],
    ['patient.versionMismatch', new PatientErrors.VersionMismatch(ID), { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'The patient was changed since the version named in If-Match' }, 'PATIENT_VERSION_MISMATCH'],
    ['patient.idempotencyKeyReused', new PatientErrors.IdempotencyKeyReused(), { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'This Idempotency-Key was already used for a create with other details', errors: { 'Idempotency-Key': 'This Idempotency-Key was already used for a create with other details' } }, 'PATIENT_IDEMPOTENCY_KEY_REUSED'],
    ['patient.likelyDuplicate', new PatientErrors.LikelyDuplicate([ID]), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'A patient with a similar name and the same birth date already exists; confirm with confirmDuplicate=true', candidates: [ID] }, 'PATIENT_LIKELY_DUPLICATE'],
    // was ProblemException.serviceUnavailable in AuditInterceptor
    ['audit.unavailable', new AuditUnavailableError(), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The audit trail cannot be written right now' }, 'AUDIT_UNAVAILABLE'],
    // New with FHIR (no body before): Patient/$everything without the appointment service.
    ['fhir.appointmentsUnavailable', new FhirPatientErrors.AppointmentsUnavailable("The appointment service is unreachable; the patient's Appointments could not be included"), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: "The appointment service is unreachable; the patient's Appointments could not be included" }, 'FHIR_APPOINTMENTS_UNAVAILABLE'],
    ['fhir.appointmentsTimeout', new FhirPatientErrors.AppointmentsTimeout(), { type: 'about:blank', title: 'Gateway Timeout', status: 504, detail: "The appointment service did not answer in time; the patient's Appointments could not be included" }, 'FHIR_APPOINTMENTS_TIMEOUT'],
    ['user.notFound', new UserErrors.NotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No user with id 11111111-1111-4111-8111-111111111111' }, 'USER_NOT_FOUND'],
    ['user.emailTaken', new UserErrors.EmailTaken(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'A user with this email already exists', errors: { email: 'email is already taken' } }, 'USER_EMAIL_TAKEN'],
    ['user.weakPassword', new UserErrors.WeakPassword('password must be at least 12 characters'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'The password is not acceptable', errors: { password: 'password must be at least 12 characters' } }, 'USER_PASSWORD_WEAK'],
    ['user.selfLockout', new UserErrors.SelfLockout('An admin cannot disable their own account'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'An admin cannot disable their own account', errors: { id: 'An admin cannot disable their own account' } }, 'USER_SELF_LOCKOUT'],
    ['user.revocationUnavailable', new UserErrors.TokensNotRevoked(new Error('down')), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: "The change is saved but the user's tokens could not be revoked yet; repeat the request" }, 'USER_TOKENS_NOT_REVOKED'],
    ['me.gone', new UserErrors.TokenUserGone(), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'A valid access token is required' }, 'USER_OF_TOKEN_GONE'],
    ['doctors.missing', new UserErrors.DoctorNotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No active doctor 11111111-1111-4111-8111-111111111111' }, 'DOCTOR_NOT_FOUND'],
    ['sessions.refreshInvalid', new SessionErrors.InvalidRefreshToken(), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The refresh token is invalid, expired or revoked' }, 'SESSION_REFRESH_TOKEN_INVALID'],
    ['sessions.logoutUnavailable', new SessionErrors.RevocationUnavailable(new Error('down')), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Tokens could not be revoked right now; try again' }, 'SESSION_REVOCATION_UNAVAILABLE'],
    ['login.invalid', new LoginErrors.InvalidCredentials(), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid email or password' }, 'LOGIN_INVALID_CREDENTIALS'],
    ['login.throttled', new LoginErrors.Throttled(30, 'pair'), { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Too many failed logins for this account from this address; try again in 30 seconds' }, 'LOGIN_THROTTLED'],
    ['login.throttledAddress', new LoginErrors.Throttled(60, 'address'), { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Too many failed logins from this address; try again in 60 seconds' }, 'LOGIN_THROTTLED'],
    ['throttles.unavailable', new LoginErrors.ThrottlesUnavailable(), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Redis is unavailable: the login throttles cannot be listed now' }, 'LOGIN_THROTTLES_UNAVAILABLE'],
    ['throttles.missing', new LoginErrors.ThrottleNotFound(), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No login throttle has this key' }, 'LOGIN_THROTTLE_NOT_FOUND'],
    ['validate.none', new AccessTokenErrors.Missing(), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'A bearer access token is required' }, 'ACCESS_TOKEN_MISSING'],
    ['validate.invalid', new AccessTokenErrors.Invalid('bad signature'), { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The access token is invalid or expired' }, 'ACCESS_TOKEN_INVALID'],
    ['validate.unavailable', new AccessTokenErrors.Unverifiable('Redis down'), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Access tokens cannot be verified right now' }, 'ACCESS_TOKEN_UNVERIFIABLE'],
    ['appointment.invalid', new AppointmentErrors.Invalid('endTime', 'endTime must be after startTime'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'endTime must be after startTime', errors: { endTime: 'endTime must be after startTime' } }, 'APPOINTMENT_INVALID'],
    ['appointment.overlapDoctor', new AppointmentErrors.SlotTaken('doctor'), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The doctor already has an active appointment overlapping this time', errors: { doctorId: 'doctorId already has an active appointment overlapping this time' } }, 'APPOINTMENT_SLOT_TAKEN'],
    ['appointment.overlapPatient', new AppointmentErrors.SlotTaken('patient'), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The patient already has an active appointment overlapping this time', errors: { patientId: 'patientId already has an active appointment overlapping this time' } }, 'APPOINTMENT_SLOT_TAKEN'],
    ['appointment.illegal', new AppointmentErrors.IllegalTransition('check-in', 'CANCELLED'), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Cannot check-in an appointment that is CANCELLED', currentStatus: 'CANCELLED' }, 'APPOINTMENT_ILLEGAL_TRANSITION'],
    ['appointment.notFound', new AppointmentErrors.NotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No appointment 11111111-1111-4111-8111-111111111111' }, 'APPOINTMENT_NOT_FOUND'],
    ['appointment.directory', new AppointmentErrors.DoctorUnverifiable('auth answered 500'), { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The doctor cannot be checked right now: the auth service is unavailable' }, 'APPOINTMENT_DOCTOR_UNVERIFIABLE'],
    ['appointment.fhirSearch', new FhirAppointmentErrors.InvalidSearch('date', 'date must be YYYY-MM-DD, optionally prefixed with ge or le'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'date must be YYYY-MM-DD, optionally prefixed with ge or le', errors: { date: 'date must be YYYY-MM-DD, optionally prefixed with ge or le' } }, 'APPOINTMENT_FHIR_SEARCH_INVALID'],
    ['invoice.invalidKey', new InvoiceErrors.InvalidPayment('Idempotency-Key', 'The Idempotency-Key header is required'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'The Idempotency-Key header is required', errors: { 'Idempotency-Key': 'The Idempotency-Key header is required' } }, 'INVOICE_PAYMENT_INVALID'],
    ['invoice.invalidAmount', new InvoiceErrors.InvalidPayment('amount', 'amount must be a positive integer'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'amount must be a positive integer', errors: { amount: 'amount must be a positive integer' } }, 'INVOICE_PAYMENT_INVALID'],
    ['invoice.alreadyPaid', new InvoiceErrors.AlreadyPaid(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The invoice is already paid', errors: { amount: 'The invoice is already paid' } }, 'INVOICE_ALREADY_PAID'],
    ['invoice.overpaid', new InvoiceErrors.Overpayment(1000), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'amount must not exceed the 1000 minor units still owed', errors: { amount: 'amount must not exceed the 1000 minor units still owed' } }, 'INVOICE_OVERPAYMENT'],
    ['invoice.keyReused', new InvoiceErrors.PaymentKeyReused(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'This Idempotency-Key was already used for a different amount', errors: { 'Idempotency-Key': 'This Idempotency-Key was already used for a different amount' } }, 'INVOICE_PAYMENT_KEY_REUSED'],
    ['invoice.notFound', new InvoiceErrors.NotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No invoice 11111111-1111-4111-8111-111111111111' }, 'INVOICE_NOT_FOUND'],
    ['billingAccount.missing', new BillingAccountErrors.NotFound(ID), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No billing account for patient 11111111-1111-4111-8111-111111111111' }, 'BILLING_ACCOUNT_NOT_FOUND'],
    // answered over gRPC only (INVALID_ARGUMENT, details = detail); its HTTP face is this problem
    ['billingAccount.invalid', new BillingAccountErrors.InvalidRequest('patientId', 'patientId must be a UUID'), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'patientId must be a UUID', errors: { patientId: 'patientId must be a UUID' } }, 'BILLING_ACCOUNT_REQUEST_INVALID'],
    // The medical record's errors came with codes: their bodies are new, not compared with older ones.
    ['clinical.notFound', new ClinicalErrors.NotFound('allergy'), { type: 'about:blank', title: 'Not Found', status: 404, detail: 'The patient has no allergy with this id' }, 'CLINICAL_ENTRY_NOT_FOUND'],
    ['clinical.versionMismatch', new ClinicalErrors.VersionMismatch(), { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'The entry was changed since the version named in If-Match' }, 'CLINICAL_ENTRY_VERSION_MISMATCH'],
    ['clinical.enteredInError', new ClinicalErrors.EnteredInError(), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The entry was marked entered-in-error and is kept as it was; record a new one instead' }, 'CLINICAL_ENTRY_ENTERED_IN_ERROR'],
    ['clinical.medicationAllergy', new ClinicalErrors.MedicationAllergyConflict([ID]), { type: 'about:blank', title: 'Conflict', status: 409, detail: 'The medication matches an active allergy of the patient; repeat with acknowledgeAllergy=true to record it anyway', allergies: [ID] }, 'CLINICAL_MEDICATION_ALLERGY'],
    ['clinical.allergiesKnown', new ClinicalErrors.AllergiesKnown([ID]), { type: 'about:blank', title: 'Conflict', status: 409, detail: '"No known allergies" cannot be recorded while the patient has an active allergy', allergies: [ID] }, 'CLINICAL_ALLERGIES_KNOWN'],
    ['clinical.amendedNote', new ClinicalErrors.AmendedNoteNotFound(), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'amends must name a note of this patient', errors: { amends: 'amends must name a note of this patient' } }, 'CLINICAL_AMENDED_NOTE_NOT_FOUND'],
    ['recordAccess.restricted', new RecordAccessErrors.Restricted(), { type: 'about:blank', title: 'Forbidden', status: 403, detail: expect.stringContaining('X-Access-Reason') }, 'CLINICAL_RECORD_RESTRICTED'],
    ['recordAccess.restrictedWrite', new RecordAccessErrors.RestrictedWrite(), { type: 'about:blank', title: 'Forbidden', status: 403, detail: expect.stringContaining('reads only') }, 'CLINICAL_RECORD_RESTRICTED_WRITE'],
    ['recordAccess.accessReason', new RecordAccessErrors.AccessReasonInvalid(), { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'X-Access-Reason must say why, in 10 to 500 characters', errors: { 'X-Access-Reason': 'X-Access-Reason must say why, in 10 to 500 characters' } }, 'CLINICAL_ACCESS_REASON_INVALID'],
    ['recordAccess.notTreating', new RecordAccessErrors.NotTreating(), { type: 'about:blank', title: 'Forbidden', status: 403, detail: "Only ADMIN or a DOCTOR of the patient's care team may restrict the record or lift its restriction" }, 'RECORD_RESTRICTION_NOT_TREATING'],
  ];

  it.each(cases)('%s', (_name, error, before, code) => {
    expect(error.toProblem()).toEqual({ ...before, code });
  });

  it('covers every error of every catalogue', () => {
    const covered = new Set<unknown>(cases.map(([, error]) => error.constructor));
    const missing = Object.values(CATALOGUES).flatMap((catalogue) => Object.values(catalogue)).filter((error) => !covered.has(error));
    expect(missing.map((error) => error.name)).toEqual([]);
  });

  it('keeps Retry-After as a header, not a body field', () => {
    expect(new LoginErrors.Throttled(30, 'pair').headers).toEqual({ 'Retry-After': '30' });
  });
});
