import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { fieldCipherProvider } from '../crypto/field-cipher.provider';
import { PatientsModule } from '../patients/patients.module';
import { RecordAccessModule } from '../record-access/record-access.module';
import { ChartController } from './chart.controller';
import { AllergiesController, ConditionsController, MedicationsController, NotesController, VitalSignsController } from './clinical-entries.controller';
import { ClinicalRepository } from './clinical.repository';
import { ClinicalService } from './clinical.service';

/** The medical record: one controller per kind of clinical entry, all served by the same service. */
@Module({
  imports: [PatientsModule, AuditModule, RecordAccessModule],
  controllers: [ChartController, AllergiesController, ConditionsController, MedicationsController, VitalSignsController, NotesController],
  providers: [fieldCipherProvider, ClinicalRepository, ClinicalService],
  exports: [ClinicalService],
})
export class ClinicalModule {}
