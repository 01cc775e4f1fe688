import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { appModule, DatabaseCheck, DatabaseModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import { OutboxModule } from '@pm/outbox';
import { AppointmentsModule } from './appointments/appointments.module';
import type { AppointmentConfig } from './config/appointment.config';
import { appointmentSchema } from './database/appointment-schema';
import { FhirModule } from './fhir/fhir.module';
import { PatientsDirectoryModule } from './patients-directory/patients-directory.module';
import { VisitDocumentationModule } from './visit-documentation/visit-documentation.module';

export const AppModule = appModule('appointment', (config: AppointmentConfig) => ({
  uses: [
    DatabaseModule.forRoot(config, appointmentSchema),
    KafkaModule.forRoot({ clientId: 'appointment', ...kafkaConnection(config) }),
    // Appointment events leave through the outbox, after the change they announce commits.
    OutboxModule.forRoot({ serviceName: 'appointment', retentionSeconds: config.OUTBOX_RETENTION_SECONDS }),
    AuthTokensModule.forRoot(config),
  ],
  checks: [DatabaseCheck, KafkaCheck, RevocationListCheck],
  features: [PatientsDirectoryModule, AppointmentsModule, VisitDocumentationModule, FhirModule],
}));
