import { Module } from '@nestjs/common';
import { Transactions } from '@pm/platform';
import { AuditModule } from '../audit/audit.module';
import { BillingClientModule } from '../billing/billing-client.module';
import { fieldCipherProvider } from '../crypto/field-cipher.provider';
import { PatientFieldsReencryption } from '../crypto/patient-fields-reencryption';
import { PatientCache } from './records/patient-cache';
import { RecordsController } from './records/records.controller';
import { RecordsRepository } from './records/records.repository';
import { RecordsService } from './records/records.service';
import { IdempotencyKeyPurge } from './registration/idempotency-key-purge';
import { RegistrationController } from './registration/registration.controller';
import { RegistrationRepository } from './registration/registration.repository';
import { RegistrationService } from './registration/registration.service';
import { SearchController } from './search/search.controller';
import { SearchRepository } from './search/search.repository';
import { SearchService } from './search/search.service';
import { PatientEventsPublisher } from './shared/patient-events.publisher';
import { PatientTable } from './shared/patient-table';

/**
 * The patients resource in three features: registration (create, idempotency keys, likely
 * duplicates), records (read, update, delete, restore) and search (list). What they share
 * (entity, views, events, errors, the table) is in `shared/`.
 */
@Module({
  imports: [BillingClientModule, AuditModule],
  // In this order the OpenAPI document lists the routes as it always has.
  controllers: [SearchController, RegistrationController, RecordsController],
  providers: [
    Transactions,
    PatientTable,
    PatientEventsPublisher,
    fieldCipherProvider,
    RegistrationRepository,
    RegistrationService,
    IdempotencyKeyPurge,
    RecordsRepository,
    RecordsService,
    PatientCache,
    SearchRepository,
    SearchService,
    PatientFieldsReencryption,
  ],
  exports: [RegistrationService, RecordsService, SearchService, PatientTable],
})
export class PatientsModule {}
