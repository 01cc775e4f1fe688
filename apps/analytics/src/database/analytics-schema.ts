import type { DatabaseSchema } from '@pm/database';
import { ProcessedEvent } from '../events/processed-event.entity';
import { PatientDailyCount } from '../patients/patient-daily-count.entity';
import { PatientRegistryEntry } from '../patients/patient-registry-entry.entity';
import { CreatePatientAnalytics1764000000000 } from './migrations/1764000000000-create-patient-analytics';

/** Analytics' tables and the migrations that make them, in order. */
export const analyticsSchema: DatabaseSchema = {
  entities: [ProcessedEvent, PatientDailyCount, PatientRegistryEntry],
  migrations: [CreatePatientAnalytics1764000000000],
};
