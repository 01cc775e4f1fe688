import type { DatabaseSchema } from '@pm/platform';
import { Patient } from '../patients/shared/patient.entity';
import { CreatePatients1764000000000 } from './migrations/1764000000000-create-patients';
import { CreateOutbox1764100000000 } from './migrations/1764100000000-create-outbox';
import { CreateIdempotencyKeys1764200000000 } from './migrations/1764200000000-create-idempotency-keys';
import { SoftDeletePatients1764300000000 } from './migrations/1764300000000-soft-delete-patients';
import { CreateAuditEntries1764400000000 } from './migrations/1764400000000-create-audit-entries';
import { EncryptPatientFields1764600000000 } from './migrations/1764600000000-encrypt-patient-fields';
import { PatientSearch1764700000000 } from './migrations/1764700000000-patient-search';
import { DuplicateIndex1764800000000 } from './migrations/1764800000000-duplicate-index';
import { SearchWords1764900000000 } from './migrations/1764900000000-search-words';
import { IdempotencyKeyExpiry1765000000000 } from './migrations/1765000000000-idempotency-key-expiry';
import { LivePatientCount1765100000000 } from './migrations/1765100000000-live-patient-count';
import { OutboxHeldEvents1765210000000 } from './migrations/1765210000000-outbox-held-events';
import { AuditEventIds1765300000000 } from './migrations/1765300000000-audit-event-ids';
import { ClinicalEntries1765400000000 } from './migrations/1765400000000-clinical-entries';
import { RecordAccess1766000000001 } from './migrations/1766000000001-record-access';
import { AuditEntry } from '../audit/audit-entry.entity';
import { IdempotencyKey } from '../patients/registration/idempotency-key.entity';

/** The patient service's tables and the migrations that make them, in order. */
export const patientSchema: DatabaseSchema = {
  entities: [Patient, IdempotencyKey, AuditEntry],
  migrations: [CreatePatients1764000000000, CreateOutbox1764100000000, CreateIdempotencyKeys1764200000000, SoftDeletePatients1764300000000, CreateAuditEntries1764400000000, EncryptPatientFields1764600000000, PatientSearch1764700000000, DuplicateIndex1764800000000, SearchWords1764900000000, IdempotencyKeyExpiry1765000000000, LivePatientCount1765100000000, OutboxHeldEvents1765210000000, AuditEventIds1765300000000, ClinicalEntries1765400000000, RecordAccess1766000000001],
};
