import { loadConfigOrExit, migrateDatabase } from '@pm/platform';
import { appointmentConfigSchema } from '../config/appointment.config';
import { appointmentSchema } from './appointment-schema';

migrateDatabase('appointment', loadConfigOrExit(appointmentConfigSchema, 'appointment'), appointmentSchema).catch((error: Error) => {
  process.stderr.write(`appointment: migration failed: ${error.message}\n`);
  process.exit(1);
});
