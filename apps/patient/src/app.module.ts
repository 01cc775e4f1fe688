import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { appModule, DatabaseCheck, DatabaseModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import { OutboxModule } from '@pm/outbox';
import type { PatientConfig } from './config/patient.config';
import { patientSchema } from './database/patient-schema';
import { ClinicalModule } from './clinical/clinical.module';
import { DemoModule } from './demo/demo.module';
import { FhirModule } from './fhir/fhir.module';
import { PatientsModule } from './patients/patients.module';

export const AppModule = appModule('patient', (config: PatientConfig) => ({
  uses: [
    DatabaseModule.forRoot(config, patientSchema),
    KafkaModule.forRoot({ clientId: 'patient', ...kafkaConnection(config) }),
    OutboxModule.forRoot({ serviceName: 'patient', retentionSeconds: config.OUTBOX_RETENTION_SECONDS }),
    AuthTokensModule.forRoot(config),
  ],
  checks: [DatabaseCheck, KafkaCheck, RevocationListCheck],
  features: [PatientsModule, ClinicalModule, FhirModule, DemoModule],
}));
