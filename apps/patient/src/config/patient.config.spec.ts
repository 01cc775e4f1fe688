import { InvalidConfigurationError, loadConfig } from '@pm/platform';
import { randomBytes } from 'node:crypto';
import { patientConfigSchema } from './patient.config';

const key = () => randomBytes(32).toString('base64');

function problemsFor(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(patientConfigSchema, 'patient', env);
    return [];
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
}

const variables = (env: Record<string, string>) => problemsFor(env).map((problem) => problem.variable);
const ENCRYPTION_VARIABLES = ['PATIENT_ENCRYPTION_KEYS', 'PATIENT_ENCRYPTION_KEY_ID', 'PATIENT_BLIND_INDEX_KEY'];

describe('patient encryption configuration', () => {
  it('requires the keys in production, naming each variable', () => {
    expect(variables({ NODE_ENV: 'production' })).toEqual(expect.arrayContaining(ENCRYPTION_VARIABLES));
  });

  it('accepts them in production when given', () => {
    const env = {
      NODE_ENV: 'production',
      PATIENT_ENCRYPTION_KEYS: JSON.stringify({ '2026-11': key() }),
      PATIENT_ENCRYPTION_KEY_ID: '2026-11',
      PATIENT_BLIND_INDEX_KEY: key(),
    };
    expect(variables(env).filter((name) => ENCRYPTION_VARIABLES.includes(name))).toEqual([]);
  });

  it('needs none outside production (development key)', () => {
    expect(variables({ NODE_ENV: 'development' }).filter((name) => ENCRYPTION_VARIABLES.includes(name))).toEqual([]);
  });

  it.each([
    ['not JSON', 'k1'],
    ['an array', '[]'],
    ['a short key', JSON.stringify({ k1: randomBytes(16).toString('base64') })],
    ['a key id with ":"', JSON.stringify({ 'a:b': key() })],
  ])('refuses keys that are %s', (_, keys) => {
    expect(variables({ PATIENT_ENCRYPTION_KEYS: keys, PATIENT_ENCRYPTION_KEY_ID: 'k1' })).toContain('PATIENT_ENCRYPTION_KEYS');
  });

  it('refuses a current key id that is missing or names no key', () => {
    const keys = JSON.stringify({ k1: key() });
    expect(variables({ PATIENT_ENCRYPTION_KEYS: keys })).toContain('PATIENT_ENCRYPTION_KEY_ID');
    expect(variables({ PATIENT_ENCRYPTION_KEYS: keys, PATIENT_ENCRYPTION_KEY_ID: 'k2' })).toContain('PATIENT_ENCRYPTION_KEY_ID');
  });
});

describe('idempotency key TTL configuration', () => {
  it('keeps keys 24 hours unless told otherwise', () => {
    expect(loadConfig(patientConfigSchema, 'patient', {}).IDEMPOTENCY_KEY_TTL_HOURS).toBe(24);
    expect(loadConfig(patientConfigSchema, 'patient', { IDEMPOTENCY_KEY_TTL_HOURS: '72' }).IDEMPOTENCY_KEY_TTL_HOURS).toBe(72);
  });

  it.each(['0', '-1', '1.5', 'a day', '8761'])('refuses %s, naming the variable', (hours) => {
    expect(variables({ IDEMPOTENCY_KEY_TTL_HOURS: hours })).toEqual(['IDEMPOTENCY_KEY_TTL_HOURS']);
  });
});
