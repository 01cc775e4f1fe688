import type { DatabaseSchema } from '@pm/platform';
import { AppointmentDailyCount } from '../appointments/appointment-daily-count.entity';
import { AppointmentState } from '../appointments/appointment-state.entity';
import { ProcessedEvent } from '../events/processed-event.entity';
import { PatientDailyCount } from '../patients/patient-daily-count.entity';
import { PatientRegistryEntry } from '../patients/patient-registry-entry.entity';
import { RevenueDay } from '../revenue/revenue-day.entity';
import { CreatePatientAnalytics1764000000000 } from './migrations/1764000000000-create-patient-analytics';
import { CreateAppointmentAndRevenueAnalytics1764100000000 } from './migrations/1764100000000-create-appointment-and-revenue-analytics';

/** Analytics' tables and the migrations that make them, in order. */
export const analyticsSchema: DatabaseSchema = {
  entities: [ProcessedEvent, PatientDailyCount, PatientRegistryEntry, AppointmentState, AppointmentDailyCount, RevenueDay],
  migrations: [CreatePatientAnalytics1764000000000, CreateAppointmentAndRevenueAnalytics1764100000000],
};
