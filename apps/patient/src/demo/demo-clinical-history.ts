import { ICD10, RXNORM, SNOMED } from '../clinical/dto/clinical-rules';
import type { ClinicalKind } from '../clinical/clinical-kinds';

/** One entry of a demo patient's history, as its REST body would give it. */
export interface DemoClinicalEntry {
  kind: ClinicalKind;
  body: Record<string, unknown>;
}

// Small catalogues the demo histories are drawn from: common, plausible, and never a medication
// one of the same patient's allergies forbids (allergies are to antibiotics the lists never prescribe).
const ALLERGIES = [
  { substance: { text: 'Penicillin', coding: { system: RXNORM, code: '7980', display: 'Penicillin G' } }, reaction: 'Hives', severity: 'moderate', criticality: 'high' },
  { substance: { text: 'Peanut', coding: { system: SNOMED, code: '762952008', display: 'Peanut' } }, reaction: 'Swelling of the lips', severity: 'severe', criticality: 'high' },
  { substance: { text: 'Sulfonamide antibiotics', coding: { system: SNOMED, code: '387406002', display: 'Sulfonamide' } }, reaction: 'Rash', severity: 'mild', criticality: 'low' },
  { substance: { text: 'Latex', coding: { system: SNOMED, code: '111088007', display: 'Latex' } }, reaction: 'Itching', severity: 'mild', criticality: 'low' },
];
const CONDITIONS = [
  { condition: { text: 'Essential hypertension', coding: { system: ICD10, code: 'I10', display: 'Essential (primary) hypertension' } } },
  { condition: { text: 'Type 2 diabetes mellitus', coding: { system: ICD10, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' } } },
  { condition: { text: 'Asthma', coding: { system: ICD10, code: 'J45.909', display: 'Unspecified asthma, uncomplicated' } } },
  { condition: { text: 'Hyperlipidaemia', coding: { system: ICD10, code: 'E78.5', display: 'Hyperlipidemia, unspecified' } } },
];
// Index-aligned with CONDITIONS: the medication that treats it.
const MEDICATIONS = [
  { medication: { text: 'Lisinopril 10 mg oral tablet', coding: { system: RXNORM, code: '314076' } }, dose: '10 mg', route: 'oral', frequency: 'once a day' },
  { medication: { text: 'Metformin 500 mg oral tablet', coding: { system: RXNORM, code: '860975' } }, dose: '500 mg', route: 'oral', frequency: 'twice a day' },
  { medication: { text: 'Salbutamol 100 mcg inhaler', coding: { system: RXNORM, code: '745679' } }, dose: '2 puffs', route: 'inhaled', frequency: 'as needed' },
  { medication: { text: 'Atorvastatin 20 mg oral tablet', coding: { system: RXNORM, code: '617310' } }, dose: '20 mg', route: 'oral', frequency: 'once a day at night' },
];
const NOTES = [
  'Annual check-up. No new complaints; continues current medication.',
  'Follow-up visit: blood pressure improving, advised a low-salt diet.',
  'Seasonal cough for a week, no fever; symptomatic treatment advised.',
];

const DAY = 86_400_000;

/**
 * A plausible history for the demo patient at `index` (the same every time): one or two
 * allergies, one or two conditions with their medications, a set of vital signs taken a week ago
 * and today, and two notes. Dates are relative to `now`, so the chart always looks current.
 */
export function demoClinicalHistory(index: number, now = new Date()): DemoClinicalEntry[] {
  const pick = <T>(list: T[], offset = 0) => list[(index + offset) % list.length];
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
  const at = (daysAgo: number, hour: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour) - daysAgo * DAY).toISOString();
  const conditions = index % 3 === 0 ? [0, 1] : [0];
  const entries: DemoClinicalEntry[] = [
    { kind: 'allergies', body: { ...pick(ALLERGIES), onset: day(3000 + index * 30) } },
    ...(index % 2 === 0 ? [{ kind: 'allergies' as const, body: { ...pick(ALLERGIES, 1), clinicalStatus: 'inactive' } }] : []),
    ...conditions.map((offset) => ({ kind: 'conditions' as const, body: { ...pick(CONDITIONS, offset), onset: day(1500 + index * 20) } })),
    ...conditions.map((offset) => ({ kind: 'medications' as const, body: { ...pick(MEDICATIONS, offset), start: day(1400 + index * 20) } })),
  ];
  for (const daysAgo of [7, 0]) {
    const takenAt = at(daysAgo + 1, 9);
    entries.push(
      { kind: 'vitals', body: { code: '8867-4', value: 62 + ((index * 7 + daysAgo) % 20), unit: '/min', takenAt } },
      { kind: 'vitals', body: { code: '85354-9', systolic: 112 + ((index * 5 + daysAgo) % 30), diastolic: 70 + ((index * 3) % 15), unit: 'mm[Hg]', takenAt } },
      { kind: 'vitals', body: { code: '8310-5', value: 36.5 + ((index + daysAgo) % 6) / 10, unit: 'Cel', takenAt } },
      { kind: 'vitals', body: { code: '29463-7', value: 55 + ((index * 11) % 40), unit: 'kg', takenAt } },
      { kind: 'vitals', body: { code: '59408-5', value: 95 + ((index + daysAgo) % 5), unit: '%', takenAt } },
      { kind: 'vitals', body: { code: '9279-1', value: 12 + ((index + daysAgo) % 8), unit: '/min', takenAt } },
    );
  }
  entries.push({ kind: 'notes', body: { text: pick(NOTES) } }, { kind: 'notes', body: { text: pick(NOTES, 1) } });
  return entries;
}

// Each vital sign with a plausible value for the n-th measurement (the same every time).
const VITALS: ((n: number) => Record<string, unknown>)[] = [
  (n) => ({ code: '8867-4', value: 58 + (n % 30), unit: '/min' }),
  (n) => ({ code: '85354-9', systolic: 108 + (n % 35), diastolic: 66 + (n % 20), unit: 'mm[Hg]' }),
  (n) => ({ code: '8310-5', value: 36.2 + (n % 10) / 10, unit: 'Cel' }),
  (n) => ({ code: '29463-7', value: 50 + (n % 45), unit: 'kg' }),
  (n) => ({ code: '59408-5', value: 94 + (n % 6), unit: '%' }),
  (n) => ({ code: '9279-1', value: 12 + (n % 9), unit: '/min' }),
];

/**
 * A history at scale for benchmarks: `perKind` entries of every kind for the patient at `index`,
 * drawn from the demo catalogues, every allergy, condition and medication active (the chart's
 * worst case), vital signs taken an hour apart going back from `now`, and notes.
 */
export function scaledClinicalHistory(index: number, perKind: number, now = new Date()): DemoClinicalEntry[] {
  const pick = <T>(list: T[], n: number) => list[(index + n) % list.length];
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
  const entries: DemoClinicalEntry[] = [];
  for (let n = 0; n < perKind; n++) {
    entries.push(
      { kind: 'allergies', body: { ...pick(ALLERGIES, n), onset: day(100 + n) } },
      { kind: 'conditions', body: { ...pick(CONDITIONS, n), clinicalStatus: 'active', onset: day(100 + n) } },
      { kind: 'medications', body: { ...pick(MEDICATIONS, n), start: day(90 + n) } },
      { kind: 'vitals', body: { ...VITALS[n % VITALS.length](index + n), takenAt: new Date(now.getTime() - (n + 1) * 3_600_000).toISOString() } },
      { kind: 'notes', body: { text: `${pick(NOTES, n)} (visit ${n + 1})` } },
    );
  }
  return entries;
}
