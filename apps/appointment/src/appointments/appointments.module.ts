import { Module } from '@nestjs/common';
import { DoctorDirectory } from './doctor-directory';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { Clock } from '@pm/platform';

@Module({
  controllers: [AppointmentsController],
  providers: [AppointmentsRepository, AppointmentsService, Clock, DoctorDirectory],
  // The patient directory cancels a deleted patient's appointments inside its own transaction.
  exports: [AppointmentsService],
})
export class AppointmentsModule {}
