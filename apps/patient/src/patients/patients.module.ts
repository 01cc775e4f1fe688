import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BillingClientModule } from '../billing/billing-client.module';
import { fieldCipherProvider } from '../crypto/field-cipher.provider';
import { PatientFieldsReencryption } from '../crypto/patient-fields-reencryption';
import { IdempotencyKeyPurge } from './idempotency-key-purge';
import { PatientCache } from './patient-cache';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

@Module({
  imports: [BillingClientModule, AuditModule],
  controllers: [PatientsController],
  providers: [PatientsRepository, PatientsService, PatientCache, fieldCipherProvider, PatientFieldsReencryption, IdempotencyKeyPurge],
  exports: [PatientsService],
})
export class PatientsModule {}
