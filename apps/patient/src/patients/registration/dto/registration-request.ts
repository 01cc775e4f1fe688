import { ProblemException } from '@pm/platform';
import { createHash } from 'node:crypto';
import type { CreatePatientDto } from '../../shared/dto/patient-body.dto';
import type { PatientDetails } from '../../shared/patient.entity';

/** A create as the service takes it: the details, and how to treat a retry or a likely duplicate. */
export interface RegistrationRequest {
  details: PatientDetails;
  /** The `Idempotency-Key`: a retry with it answers the first result. Undefined when absent. */
  idempotencyKey?: string;
  /** `?confirmDuplicate=true`: register the patient even when it looks like one already there. */
  confirmDuplicate: boolean;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` of a create, undefined when absent; 400 naming the header when malformed. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw ProblemException.badRequest('Idempotency-Key is invalid', {
      'Idempotency-Key': 'Idempotency-Key must be 1 to 255 visible ASCII characters',
    });
  }
  return header;
}

/** `?confirmDuplicate=true|false` (absent: false); anything else is a 400 naming it. */
export function confirmDuplicate(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw ProblemException.badRequest('The query has invalid parameters', { confirmDuplicate: 'confirmDuplicate must be true or false' });
}

/**
 * Reads a create from its validated body, its `Idempotency-Key` header and its `confirmDuplicate`
 * parameter (in that order, as a 400 names the first one wrong). Called once the body is
 * validated, not as a pipe of its own: Nest resolves a route's parameters concurrently, and a bad
 * header must not win over a bad body, which it never did.
 */
export function registrationRequest(body: CreatePatientDto, options: { idempotencyKey: string | undefined; confirmDuplicate: unknown }): RegistrationRequest {
  const key = idempotencyKey(options.idempotencyKey);
  return {
    details: { name: body.name, email: body.email, address: body.address, dateOfBirth: body.dateOfBirth, registeredDate: body.registeredDate },
    idempotencyKey: key,
    confirmDuplicate: confirmDuplicate(options.confirmDuplicate),
  };
}

/** Identifies what a create asked for, so a key replayed with other details is told apart. */
export function requestFingerprint(details: PatientDetails): string {
  const fields = [details.name, details.email, details.address, details.dateOfBirth, details.registeredDate];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
