import type { DatabaseSchema } from '@pm/platform';
import { Appointment } from '../appointments/appointment.entity';
import { PatientDirectoryEntry } from '../patients-directory/patient-directory-entry.entity';
import { CreatePatientsDirectory1764000000000 } from './migrations/1764000000000-create-patients-directory';
import { CreateAppointments1764000000001 } from './migrations/1764000000001-create-appointments';
import { AppointmentOverlapGuards1764000000002 } from './migrations/1764000000002-appointment-overlap-guards';
import { CreateOutbox1764000000003 } from './migrations/1764000000003-create-outbox';
import { OutboxHeldEvents1765210000000 } from './migrations/1765210000000-outbox-held-events';
import { PatientsDirectoryWithoutEmail1765210000001 } from './migrations/1765210000001-patients-directory-without-email';
import { AppointmentBookedBy1766000000000 } from './migrations/1766000000000-appointment-booked-by';
import { AppointmentsDocumentedAt1766100000000 } from './migrations/1766100000000-appointments-documented-at';

/** Appointment's tables and the migrations that make them, in order. */
export const appointmentSchema: DatabaseSchema = {
  entities: [PatientDirectoryEntry, Appointment],
  migrations: [
    CreatePatientsDirectory1764000000000,
    CreateAppointments1764000000001,
    AppointmentOverlapGuards1764000000002,
    CreateOutbox1764000000003,
    OutboxHeldEvents1765210000000,
    PatientsDirectoryWithoutEmail1765210000001,
    AppointmentBookedBy1766000000000,
    AppointmentsDocumentedAt1766100000000,
  ],
};
