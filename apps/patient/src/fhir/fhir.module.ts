import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ClinicalModule } from '../clinical/clinical.module';
import { PatientsModule } from '../patients/patients.module';
import { AppointmentsClient } from './appointments.client';
import { FhirAllergyIntoleranceController, FhirConditionController, FhirMedicationStatementController, FhirObservationController } from './fhir-clinical.controller';
import { FhirEverythingService } from './fhir-everything.service';
import { FhirPatientController } from './fhir-patient.controller';

/** FHIR R4 (`/fhir/R4/...`): a translation over the services the REST routes use, never a second set of rules. */
@Module({
  imports: [PatientsModule, ClinicalModule, AuditModule],
  controllers: [FhirPatientController, FhirAllergyIntoleranceController, FhirConditionController, FhirMedicationStatementController, FhirObservationController],
  providers: [AppointmentsClient, FhirEverythingService],
})
export class FhirModule {}
