import { DynamicModule, Module } from '@nestjs/common';
import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { CoreModule, DatabaseCheck, DatabaseModule, HealthModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import { OutboxModule } from '@pm/outbox';
import type { PatientConfig } from './config/patient.config';
import { patientSchema } from './database/patient-schema';
import { ClinicalModule } from './clinical/clinical.module';
import { DemoModule } from './demo/demo.module';
import { PatientsModule } from './patients/patients.module';

@Module({})
export class AppModule {
  static register(config: PatientConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'patient', config }),
        DatabaseModule.forRoot(config, patientSchema),
        KafkaModule.forRoot({ clientId: 'patient', ...kafkaConnection(config) }),
        OutboxModule.forRoot({ serviceName: 'patient', retentionSeconds: config.OUTBOX_RETENTION_SECONDS }),
        AuthTokensModule.forRoot(config),
        HealthModule.register({ checks: [DatabaseCheck, KafkaCheck, RevocationListCheck] }),
        PatientsModule,
        ClinicalModule,
        DemoModule,
      ],
    };
  }
}
