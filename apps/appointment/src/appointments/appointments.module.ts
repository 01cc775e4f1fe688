import { Module } from '@nestjs/common';
import { DoctorDirectory } from './doctor-directory';
import { Transactions } from '@pm/database';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { Clock } from '@pm/bootstrap';

@Module({
  controllers: [AppointmentsController],
  providers: [AppointmentsRepository, AppointmentsService, Transactions, Clock, DoctorDirectory],
  // The patient directory cancels a deleted patient's appointments in its own transaction.
  exports: [AppointmentsService, Transactions],
})
export class AppointmentsModule {}
