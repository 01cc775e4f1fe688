import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { patientConfigSchema } from './config/patient.config';

runService({ name: 'patient', schema: patientConfigSchema, module: AppModule, openApi: { title: 'Patient service', description: 'Patient records: register, look up, update and remove patients' } });
