import type { DatabaseSchema } from '@pm/database';
import { Patient } from '../patients/patient.entity';
import { CreatePatients1764000000000 } from './migrations/1764000000000-create-patients';

/** The patient service's tables and the migrations that make them, in order. */
export const patientSchema: DatabaseSchema = {
  entities: [Patient],
  migrations: [CreatePatients1764000000000],
};
