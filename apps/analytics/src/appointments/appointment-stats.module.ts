import { Module } from '@nestjs/common';
import { AppointmentEventsHandler } from './appointment-events.handler';
import { AppointmentStatsController } from './appointment-stats.controller';
import { AppointmentStatsRepository } from './appointment-stats.repository';
import { AppointmentStatsService } from './appointment-stats.service';

@Module({
  controllers: [AppointmentStatsController],
  providers: [AppointmentStatsRepository, AppointmentStatsService, AppointmentEventsHandler],
  exports: [AppointmentEventsHandler],
})
export class AppointmentStatsModule {}
