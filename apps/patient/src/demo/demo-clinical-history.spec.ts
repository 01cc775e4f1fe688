import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CLINICAL_MAPPINGS } from '../clinical/clinical-mappings';
import { type DemoClinicalEntry, demoClinicalHistory, scaledClinicalHistory } from './demo-clinical-history';
import { loadDemoPatients } from './demo-patients';

/** Every entry is a valid request of its kind, as the REST routes would check it. */
function expectValidRequests(history: DemoClinicalEntry[]): void {
  for (const { kind, body } of history) {
    const errors = validateSync(plainToInstance(CLINICAL_MAPPINGS[kind].request, body) as object, { whitelist: true, forbidNonWhitelisted: true });
    expect({ kind, body, errors: errors.map((error) => error.property) }).toEqual({ kind, body, errors: [] });
  }
}

describe('the demo clinical histories', () => {
  const histories = loadDemoPatients().map((_, index) => demoClinicalHistory(index, new Date('2026-12-03T12:00:00Z')));

  it('are valid requests of their kinds, as the REST routes would check them', () => {
    for (const history of histories) expectValidRequests(history);
  });

  it('give every patient allergies, conditions, medications, every vital sign twice and notes', () => {
    for (const history of histories) {
      const count = (kind: string) => history.filter((entry) => entry.kind === kind).length;
      expect(count('allergies')).toBeGreaterThanOrEqual(1);
      expect(count('conditions')).toBeGreaterThanOrEqual(1);
      expect(count('medications')).toBe(count('conditions'));
      expect(new Set(history.filter((entry) => entry.kind === 'vitals').map((entry) => entry.body.code)).size).toBe(6);
      expect(count('vitals')).toBe(12);
      expect(count('notes')).toBe(2);
    }
  });

  it('never prescribe what the same patient is allergic to', () => {
    for (const history of histories) {
      const allergyCodes = history.filter((entry) => entry.kind === 'allergies').map((entry) => JSON.stringify((entry.body.substance as { coding: unknown }).coding));
      const medicationCodes = history.filter((entry) => entry.kind === 'medications').map((entry) => JSON.stringify((entry.body.medication as { coding: unknown }).coding));
      expect(medicationCodes.filter((code) => allergyCodes.includes(code))).toEqual([]);
    }
  });
});

describe('scaledClinicalHistory (seed:patients --clinical)', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  const history = scaledClinicalHistory(4, 50, now);

  it('gives exactly the asked number of entries of every kind, all valid requests', () => {
    for (const kind of ['allergies', 'conditions', 'medications', 'vitals', 'notes']) expect(history.filter((entry) => entry.kind === kind)).toHaveLength(50);
    expectValidRequests(history);
  });

  it('keeps every allergy, condition and medication active, and spreads vital signs over all six codes in the past', () => {
    const fields = history.filter((entry) => entry.kind !== 'vitals' && entry.kind !== 'notes').map(({ kind, body }) => CLINICAL_MAPPINGS[kind].toFields(body));
    expect(new Set(fields.map((field) => field.status))).toEqual(new Set(['active']));
    const vitals = history.filter((entry) => entry.kind === 'vitals');
    expect(new Set(vitals.map((entry) => entry.body.code)).size).toBe(6);
    expect(vitals.every((entry) => Date.parse(entry.body.takenAt as string) < now.getTime())).toBe(true);
  });

  it('is the same every time and nothing for zero', () => {
    expect(scaledClinicalHistory(4, 50, now)).toEqual(history);
    expect(scaledClinicalHistory(4, 0, now)).toEqual([]);
  });
});
