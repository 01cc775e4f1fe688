import { ProblemException } from '@pm/problem';
import { createHash } from 'node:crypto';
import type { PatientDetails } from './patient.entity';

/**
 * The versions an `If-Match` header accepts: undefined when there is no condition (absent, or `*`,
 * which any existing patient meets); an empty list when nothing in it can match (412).
 * Our ETags are weak (`W/"3"`); a strong `"3"` names the same version.
 */
export function acceptedVersions(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    if (match) versions.push(Number(match[1]));
  }
  return versions;
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

/** Identifies what a create asked for, so a key replayed with other details is told apart. */
export function requestFingerprint(details: PatientDetails): string {
  const fields = [details.name, details.email, details.address, details.dateOfBirth, details.registeredDate];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
