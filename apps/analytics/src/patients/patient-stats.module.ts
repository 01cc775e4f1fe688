import { Module } from '@nestjs/common';
import { PatientEventsHandler } from './patient-events.handler';
import { PatientStatsController } from './patient-stats.controller';
import { PatientStatsRepository } from './patient-stats.repository';
import { PatientStatsService } from './patient-stats.service';

@Module({
  controllers: [PatientStatsController],
  providers: [PatientStatsRepository, PatientStatsService, PatientEventsHandler],
  exports: [PatientEventsHandler],
})
export class PatientStatsModule {}
