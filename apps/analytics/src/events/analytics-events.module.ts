import { Module } from '@nestjs/common';
import { AppointmentStatsModule } from '../appointments/appointment-stats.module';
import { PatientStatsModule } from '../patients/patient-stats.module';
import { RevenueModule } from '../revenue/revenue.module';
import { AnalyticsEventsConsumer } from './analytics-events.consumer';

@Module({
  imports: [PatientStatsModule, AppointmentStatsModule, RevenueModule],
  providers: [AnalyticsEventsConsumer],
})
export class AnalyticsEventsModule {}
