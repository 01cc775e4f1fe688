import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { appointmentConfigSchema } from './config/appointment.config';

async function main() {
  const config = loadConfigOrExit(appointmentConfigSchema, 'appointment');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'appointment',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: { title: 'Appointment service', description: 'Appointments of patients with doctors' },
  });
}

runMain('appointment', main);
