import { loadConfigOrExit, dataSourceOptions } from '@pm/platform';
import { DataSource } from 'typeorm';
import { patientConfigSchema } from '../config/patient.config';
import { patientSchema } from '../database/patient-schema';
import { fieldCipherFrom } from './field-cipher.provider';
import { reencryptPatients } from './reencrypt-patients';

/**
 * `npm run patients:reencrypt`: rewrites every patient row not yet under PATIENT_ENCRYPTION_KEY_ID
 * (or still in plaintext), printing counts. Run after adding a key and making it current; an old
 * key may be removed from PATIENT_ENCRYPTION_KEYS once this reports every row done.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(patientConfigSchema, 'patient');
  const cipher = fieldCipherFrom(config, { warn: (message: unknown) => process.stderr.write(`patient: ${String(message)}\n`) });
  const dataSource = new DataSource(dataSourceOptions(config, patientSchema));
  await dataSource.initialize();
  try {
    const { rewritten } = await reencryptPatients(dataSource, cipher, {
      onBatch: (progress) => process.stdout.write(`patient: re-encrypted ${progress.rewritten} rows so far\n`),
    });
    const [{ stale }] = (await dataSource.query(
      `SELECT count(*)::int AS stale FROM patients WHERE address NOT LIKE $1 OR date_of_birth NOT LIKE $1`,
      [`v1:${cipher.currentKeyId.replace(/[\\%_]/g, '\\$&')}:%`],
    )) as { stale: number }[];
    process.stdout.write(`patient: re-encrypted ${rewritten} rows under key ${cipher.currentKeyId}; ${stale} rows left under another key\n`);
    if (stale > 0) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`patient: re-encryption failed: ${error.message}\n`);
  process.exit(1);
});
