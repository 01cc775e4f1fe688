import { Module } from '@nestjs/common';
import { BillingClientModule } from '../billing/billing-client.module';
import { PatientEventsPublisher } from './patient-events.publisher';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

@Module({
  imports: [BillingClientModule],
  controllers: [PatientsController],
  providers: [PatientsRepository, PatientsService, PatientEventsPublisher],
  exports: [PatientsService],
})
export class PatientsModule {}
