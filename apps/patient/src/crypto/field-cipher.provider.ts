import { Logger, Provider } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { PatientConfig } from '../config/patient.config';
import { FieldCipher, developmentKey } from './field-cipher';

export type CipherConfig = Pick<PatientConfig, 'DB_NAME' | 'PATIENT_ENCRYPTION_KEYS' | 'PATIENT_ENCRYPTION_KEY_ID' | 'PATIENT_BLIND_INDEX_KEY'>;

const DEVELOPMENT_KEY_ID = 'dev';

/** The cipher configured by PATIENT_ENCRYPTION_KEYS (validated at start), or the development fallback outside production. */
export function fieldCipherFrom(config: CipherConfig, logger?: Pick<Logger, 'warn'>): FieldCipher {
  const blindIndexKey = config.PATIENT_BLIND_INDEX_KEY
    ? Buffer.from(config.PATIENT_BLIND_INDEX_KEY, 'base64')
    : developmentKey(config.DB_NAME, 'blind-index');
  if (!config.PATIENT_ENCRYPTION_KEYS || !config.PATIENT_ENCRYPTION_KEY_ID) {
    logger?.warn('Patient fields use a development key; set PATIENT_ENCRYPTION_KEYS and PATIENT_ENCRYPTION_KEY_ID');
    return new FieldCipher({ [DEVELOPMENT_KEY_ID]: developmentKey(config.DB_NAME, 'encryption') }, DEVELOPMENT_KEY_ID, blindIndexKey);
  }
  if (!config.PATIENT_BLIND_INDEX_KEY) logger?.warn('Birth-date index uses a development key; set PATIENT_BLIND_INDEX_KEY');
  const keys = Object.fromEntries(
    Object.entries(JSON.parse(config.PATIENT_ENCRYPTION_KEYS) as Record<string, string>).map(([id, key]) => [id, Buffer.from(key, 'base64')]),
  );
  return new FieldCipher(keys, config.PATIENT_ENCRYPTION_KEY_ID, blindIndexKey);
}

export const fieldCipherProvider: Provider = {
  provide: FieldCipher,
  inject: [APP_CONFIG],
  useFactory: (config: CipherConfig) => fieldCipherFrom(config, new Logger(FieldCipher.name)),
};
