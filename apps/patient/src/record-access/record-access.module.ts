import { Module } from '@nestjs/common';
import { Clock } from '@pm/platform';
import { AuditModule } from '../audit/audit.module';
import { fieldCipherProvider } from '../crypto/field-cipher.provider';
import { PatientsModule } from '../patients/patients.module';
import { AppointmentEventsConsumer } from './appointment-events.consumer';
import { CareTeamController } from './care-team.controller';
import { RecordAccessRepository } from './record-access.repository';
import { RecordAccessService } from './record-access.service';
import { RestrictionController } from './restriction.controller';

/** Restricted records, their care teams (from the `appointment` topic and ADMIN) and break the glass. */
@Module({
  imports: [PatientsModule, AuditModule],
  controllers: [RestrictionController, CareTeamController],
  providers: [fieldCipherProvider, Clock, RecordAccessRepository, RecordAccessService, AppointmentEventsConsumer],
  exports: [RecordAccessService],
})
export class RecordAccessModule {}
