import { DynamicModule, Module } from '@nestjs/common';
import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { CoreModule, DatabaseCheck, DatabaseModule, HealthModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import type { AnalyticsConfig } from './config/analytics.config';
import { analyticsSchema } from './database/analytics-schema';
import { AnalyticsEventsModule } from './events/analytics-events.module';
import { AppointmentStatsModule } from './appointments/appointment-stats.module';
import { PatientStatsModule } from './patients/patient-stats.module';
import { RevenueModule } from './revenue/revenue.module';
import { AnalyticsStreamModule } from './stream/analytics-stream.module';

@Module({})
export class AppModule {
  static register(config: AnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'analytics', config }),
        DatabaseModule.forRoot(config, analyticsSchema),
        KafkaModule.forRoot({ clientId: 'analytics', ...kafkaConnection(config) }),
        AuthTokensModule.forRoot(config),
        HealthModule.register({ checks: [DatabaseCheck, KafkaCheck, RevocationListCheck] }),
        AnalyticsStreamModule,
        PatientStatsModule,
        AppointmentStatsModule,
        RevenueModule,
        AnalyticsEventsModule,
      ],
    };
  }
}
