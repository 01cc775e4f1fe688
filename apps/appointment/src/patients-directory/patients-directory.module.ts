import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { PatientEventsConsumer } from './patient-events.consumer';
import { PatientsDirectoryRepository } from './patients-directory.repository';
import { PatientsDirectoryService } from './patients-directory.service';

@Module({
  imports: [AppointmentsModule],
  providers: [PatientsDirectoryRepository, PatientsDirectoryService, PatientEventsConsumer],
})
export class PatientsDirectoryModule {}
