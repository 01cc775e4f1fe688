import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CLINICAL_MAPPINGS } from '../clinical/clinical-mappings';
import { demoClinicalHistory } from './demo-clinical-history';
import { loadDemoPatients } from './demo-patients';

describe('the demo clinical histories', () => {
  const histories = loadDemoPatients().map((_, index) => demoClinicalHistory(index, new Date('2026-12-03T12:00:00Z')));

  it('are valid requests of their kinds, as the REST routes would check them', () => {
    for (const history of histories) {
      for (const { kind, body } of history) {
        const errors = validateSync(plainToInstance(CLINICAL_MAPPINGS[kind].request, body) as object, { whitelist: true, forbidNonWhitelisted: true });
        expect({ kind, body, errors: errors.map((error) => error.property) }).toEqual({ kind, body, errors: [] });
      }
    }
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
