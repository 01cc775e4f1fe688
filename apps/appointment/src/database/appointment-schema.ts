import type { DatabaseSchema } from '@pm/database';
import { Appointment } from '../appointments/appointment.entity';
import { PatientDirectoryEntry } from '../patients-directory/patient-directory-entry.entity';
import { CreatePatientsDirectory1764000000000 } from './migrations/1764000000000-create-patients-directory';
import { CreateAppointments1764000000001 } from './migrations/1764000000001-create-appointments';

/** Appointment's tables and the migrations that make them, in order. */
export const appointmentSchema: DatabaseSchema = {
  entities: [PatientDirectoryEntry, Appointment],
  migrations: [CreatePatientsDirectory1764000000000, CreateAppointments1764000000001],
};
