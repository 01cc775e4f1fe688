import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Transaction } from '@pm/platform';
import type { PatientConfig } from '../../config/patient.config';
import { Patient, PatientDetails } from '../shared/patient.entity';
import { PATIENT_COLUMNS, PatientRow, PatientTable } from '../shared/patient-table';

// Two-key advisory locks (a key space of their own): this namespace, then the birth date's index.
const LIKELY_DUPLICATES_LOCK = "hashtext('patients-likely-duplicates')";

// A key row older than the TTL ($n, hours) is forgotten: it neither replays nor survives the purge.
const expiredKey = (ttlHoursParam: string) => `created_at < now() - make_interval(hours => ${ttlHoursParam}::int)`;

/** A create made under an Idempotency-Key, as the key row remembers it. */
export interface IdempotentCreate {
  actorId: string;
  key: string;
  /** What the create asked for (requestFingerprint). */
  fingerprint: string;
}

/** New patients and the idempotency keys of their creates. */
@Injectable()
export class RegistrationRepository {
  private readonly idempotencyKeyTtlHours: number;

  constructor(
    private readonly table: PatientTable,
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'IDEMPOTENCY_KEY_TTL_HOURS'>,
  ) {
    this.idempotencyKeyTtlHours = config.IDEMPOTENCY_KEY_TTL_HOURS;
  }

  /**
   * Claims `create`'s key for the patient `patientId` will be, unless the key was used within the
   * TTL: then the first create's fingerprint and patient come back and nothing is claimed. A
   * simultaneous retry waits on the claimed row until `tx` ends, then finds it taken. An expired
   * key row is taken over in place the same way, so its create is a new one.
   */
  async claimIdempotencyKey(create: IdempotentCreate, patientId: string, tx: Transaction): Promise<{ fingerprint: string; patientId: string } | null> {
    // DO UPDATE locks the conflicting row even when its WHERE is false: a live key stays locked
    // (the purge skips it) until the transaction has read its first result.
    const claimed = await this.table.query(
      `INSERT INTO patient_idempotency_keys (actor_id, idempotency_key, request_fingerprint, patient_id)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT pk_patient_idempotency_keys DO UPDATE
         SET request_fingerprint = EXCLUDED.request_fingerprint, patient_id = EXCLUDED.patient_id, created_at = now()
         WHERE patient_idempotency_keys.${expiredKey('$5')}
       RETURNING patient_id`,
      [create.actorId, create.key, create.fingerprint, patientId, this.idempotencyKeyTtlHours],
      tx,
    );
    if (claimed.length > 0) return null;
    const [first] = await this.table.query<{ request_fingerprint: string; patient_id: string }>(
      'SELECT request_fingerprint, patient_id FROM patient_idempotency_keys WHERE actor_id = $1 AND idempotency_key = $2',
      [create.actorId, create.key],
      tx,
    );
    return { fingerprint: first.request_fingerprint, patientId: first.patient_id };
  }

  /** The live patient with this id (a replayed create's first result). */
  findLive(id: string, tx: Transaction): Promise<Patient | null> {
    return this.table.findLive(id, tx);
  }

  /**
   * Deletes up to `limit` idempotency keys older than the TTL; how many it deleted. Keys a create
   * holds right now are skipped, not waited for.
   */
  async deleteExpiredIdempotencyKeys(limit: number): Promise<number> {
    const [{ deleted }] = await this.table.query<{ deleted: number }>(
      `WITH expired AS (
         DELETE FROM patient_idempotency_keys WHERE (actor_id, idempotency_key) IN (
           SELECT actor_id, idempotency_key FROM patient_idempotency_keys WHERE ${expiredKey('$1')}
           LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM expired`,
      [this.idempotencyKeyTtlHours, limit],
    );
    return deleted;
  }

  /**
   * Ids of live patients born the same day (blind index, the birth date being encrypted) whose
   * name is similar (trigram similarity above 0.6, any case), most similar first. Check and the
   * insert after it are atomic: it first takes a lock on the birth date for the rest of `tx`, so
   * checks of one birth date queue, and each (a new statement) sees what the one before committed.
   * A create that checks nothing needs no lock: it can be ordered after any create alongside it.
   */
  async likelyDuplicatesOf(details: Pick<PatientDetails, 'name' | 'dateOfBirth'>, tx: Transaction): Promise<string[]> {
    const birthDateIndex = this.table.birthDateIndex(details.dateOfBirth);
    await this.table.query(`SELECT pg_advisory_xact_lock(${LIKELY_DUPLICATES_LOCK}, hashtext($1))`, [birthDateIndex], tx);
    const rows = await this.table.query<{ id: string }>(
      `SELECT id FROM patients
       WHERE birth_date_index = $1 AND deleted_at IS NULL AND similarity(lower(name), lower($2)) > 0.6
       ORDER BY similarity(lower(name), lower($2)) DESC, id LIMIT 10`,
      [birthDateIndex, details.name],
      tx,
    );
    return rows.map((row) => row.id);
  }

  /** Inserts a patient with this id; PatientEmailTakenError when another has the email in any case. */
  async insert(id: string, details: PatientDetails, tx: Transaction): Promise<Patient> {
    const [row] = await this.table.query<PatientRow>(
      `INSERT INTO patients (id, name, email, address, date_of_birth, birth_date_index, registered_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${PATIENT_COLUMNS}`,
      [id, details.name, details.email, ...this.table.sealed(details), details.registeredDate],
      tx,
    );
    return this.table.toPatient(row);
  }

  /** Inserts with a given id unless that id or the email exists; null when nothing was inserted. */
  async insertIfAbsent(id: string, details: PatientDetails, tx: Transaction): Promise<Patient | null> {
    const [row] = await this.table.query<PatientRow>(
      `INSERT INTO patients (id, name, email, address, date_of_birth, birth_date_index, registered_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${PATIENT_COLUMNS}`,
      [id, details.name, details.email, ...this.table.sealed(details), details.registeredDate],
      tx,
    );
    return row ? this.table.toPatient(row) : null;
  }
}
