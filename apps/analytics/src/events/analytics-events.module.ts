import { Module } from '@nestjs/common';
import { PatientStatsModule } from '../patients/patient-stats.module';
import { AnalyticsEventsConsumer } from './analytics-events.consumer';

@Module({
  imports: [PatientStatsModule],
  providers: [AnalyticsEventsConsumer],
})
export class AnalyticsEventsModule {}
