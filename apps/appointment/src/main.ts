import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { appointmentConfigSchema } from './config/appointment.config';

runService({ name: 'appointment', schema: appointmentConfigSchema, module: AppModule, openApi: { title: 'Appointment service', description: 'Appointments of patients with doctors' } });
