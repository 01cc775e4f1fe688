import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { FhirAppointmentsController } from './fhir-appointments.controller';

/** The FHIR R4 resources this service owns (FHIR_SURFACE): Appointment. */
@Module({
  imports: [AppointmentsModule],
  controllers: [FhirAppointmentsController],
})
export class FhirModule {}
