import { loadConfigOrExit, migrateDatabase } from '@pm/platform';
import { patientConfigSchema } from '../config/patient.config';
import { patientSchema } from './patient-schema';

migrateDatabase('patient', loadConfigOrExit(patientConfigSchema, 'patient'), patientSchema).catch((error: Error) => {
  process.stderr.write(`patient: migration failed: ${error.message}\n`);
  process.exit(1);
});
