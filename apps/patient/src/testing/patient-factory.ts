import { randomUUID } from 'node:crypto';

/**
 * Request bodies for new patients, unique per test run (`run` is in every name and email). Each
 * gets its own birth date: test names are alike, and alike names born the same day are likely
 * duplicates (409).
 */
export function patientFactory(label: string, registeredDate = '2024-01-01') {
  const run = randomUUID().slice(0, 8);
  const mailbox = label.toLowerCase().replace(/[^a-z]/g, '');
  let sequence = 0;
  const next = (overrides: Record<string, unknown> = {}) => {
    sequence += 1;
    return {
      name: `${label} ${run} ${sequence}`,
      email: `${mailbox}${sequence}.${run}@example.com`,
      address: `${sequence} ${label} Street`,
      dateOfBirth: new Date(Date.UTC(1950, 0, sequence)).toISOString().slice(0, 10),
      registeredDate,
      ...overrides,
    };
  };
  return Object.assign(next, { run });
}

/** A patient as the API answers it (a DOCTOR's or BILLING's view leaves fields out). */
export interface PatientBody {
  id: string;
  name: string;
  email: string;
  address: string;
  dateOfBirth: string;
  registeredDate: string;
}
