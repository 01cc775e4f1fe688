import { Module } from '@nestjs/common';
import { PatientEventsConsumer } from './patient-events.consumer';
import { PatientsDirectoryRepository } from './patients-directory.repository';
import { PatientsDirectoryService } from './patients-directory.service';

@Module({
  providers: [PatientsDirectoryRepository, PatientsDirectoryService, PatientEventsConsumer],
})
export class PatientsDirectoryModule {}
