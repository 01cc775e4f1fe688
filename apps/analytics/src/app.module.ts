import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { appModule, DatabaseCheck, DatabaseModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import type { AnalyticsConfig } from './config/analytics.config';
import { analyticsSchema } from './database/analytics-schema';
import { AnalyticsEventsModule } from './events/analytics-events.module';
import { AppointmentStatsModule } from './appointments/appointment-stats.module';
import { PatientStatsModule } from './patients/patient-stats.module';
import { RevenueModule } from './revenue/revenue.module';
import { AnalyticsStreamModule } from './stream/analytics-stream.module';

export const AppModule = appModule('analytics', (config: AnalyticsConfig) => ({
  uses: [
    DatabaseModule.forRoot(config, analyticsSchema),
    KafkaModule.forRoot({ clientId: 'analytics', ...kafkaConnection(config) }),
    AuthTokensModule.forRoot(config),
  ],
  checks: [DatabaseCheck, KafkaCheck, RevocationListCheck],
  features: [AnalyticsStreamModule, PatientStatsModule, AppointmentStatsModule, RevenueModule, AnalyticsEventsModule],
}));
