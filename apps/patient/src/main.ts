import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { patientConfigSchema } from './config/patient.config';

async function main() {
  const config = loadConfigOrExit(patientConfigSchema, 'patient');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'patient',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: { title: 'Patient service', description: 'Patient records: register, look up, update and remove patients' },
  });
}

runMain('patient', main);
