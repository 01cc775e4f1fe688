import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG } from '@pm/config';
import { OutboxWriter } from '@pm/outbox';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import type { PatientConfig } from '../config/patient.config';
import { FieldCipher } from '../crypto/field-cipher';
import { Patient, PatientDetails, PatientListQuery, PatientPage, PatientSortField } from './patient.entity';
import { IdempotencyKeyReusedError, PatientEmailTakenError, PatientLikelyDuplicateError, PatientNotFoundError, PatientVersionMismatchError } from './patient.errors';
import type { PatientEventsFor } from './patient-events.publisher';
import { searchParams, searchSql } from './patient-search';

const EMAIL_UNIQUE_INDEX = 'uq_patients_email_lower';

// Two-key advisory locks (a key space of their own): this namespace, then the birth date's index.
const LIKELY_DUPLICATES_LOCK = "hashtext('patients-likely-duplicates')";

// A key row older than the TTL ($n, hours) is forgotten: it neither replays nor survives the purge.
const expiredKey = (ttlHoursParam: string) => `created_at < now() - make_interval(hours => ${ttlHoursParam}::int)`;

// Dates leave PostgreSQL as text, so no driver or time zone turns them into instants. Address and
// birth date are ciphertext (text), decrypted by toPatient.
const COLUMNS = `id, name, email, address, date_of_birth,
  to_char(registered_date, 'YYYY-MM-DD') AS registered_date,
  created_at, updated_at, version`;

// Text sorts ignore case; the id breaks ties in the same direction so the order is total.
const SORT_EXPRESSIONS: Record<PatientSortField, string> = {
  name: 'lower(name)',
  email: 'lower(email)',
  address: 'lower(address)',
  dateOfBirth: 'date_of_birth',
  registeredDate: 'registered_date',
};

interface PatientRow {
  id: string;
  name: string;
  email: string;
  address: string;
  date_of_birth: string;
  registered_date: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

function toPatient(row: PatientRow, cipher: FieldCipher): Patient {
  return Object.assign(new Patient(), {
    id: row.id,
    name: row.name,
    email: row.email,
    address: cipher.decrypt(row.address),
    dateOfBirth: cipher.decrypt(row.date_of_birth),
    registeredDate: row.registered_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  });
}

export { containsPattern } from './patient-search';

/**
 * A failed query without its parameters or the server's message, both of which can quote patient
 * data; what reaches the logs is the SQLSTATE only.
 */
export class PatientStorageError extends Error {
  constructor(readonly sqlState: string | undefined) {
    super(`Patient storage query failed${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`);
  }

  static from(error: unknown): Error {
    if (!(error instanceof QueryFailedError)) return error as Error;
    return new PatientStorageError((error.driverError as { code?: string }).code);
  }
}

function isEmailTaken(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === EMAIL_UNIQUE_INDEX;
}

/**
 * Every change is saved together with the events announcing it (outbox, same transaction): both
 * commit or neither does, and the outbox relay publishes the events after commit.
 */
@Injectable()
export class PatientsRepository {
  private readonly idempotencyKeyTtlHours: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cipher: FieldCipher,
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'IDEMPOTENCY_KEY_TTL_HOURS'>,
  ) {
    this.idempotencyKeyTtlHours = config.IDEMPOTENCY_KEY_TTL_HOURS;
  }

  /** A row as a patient, its encrypted fields decrypted. */
  private readonly toPatient = (row: PatientRow): Patient => toPatient(row, this.cipher);

  /** The encrypted fields of `details` and the birth date's blind index, as stored. */
  private sealed(details: { address: string; dateOfBirth: string }): [address: string, dateOfBirth: string, birthDateIndex: string] {
    return [this.cipher.encrypt(details.address), this.cipher.encrypt(details.dateOfBirth), this.cipher.blindIndex(details.dateOfBirth)];
  }

  /**
   * Throws PatientEmailTakenError when another patient has the email in any case, and, with
   * `refuseLikelyDuplicates`, PatientLikelyDuplicateError when a live patient looks like this one.
   */
  async insert(details: PatientDetails, eventsFor: PatientEventsFor, refuseLikelyDuplicates = false): Promise<Patient> {
    return (await this.change(eventsFor, async (manager) => [await this.insertNew(manager, randomUUID(), details, refuseLikelyDuplicates)]))!;
  }

  /**
   * Inserts unless this caller's `key` was used within the TTL, in which case the patient it made
   * is returned (`replayed`). The key row is claimed first, in the same transaction: a simultaneous
   * retry waits on it, then finds it taken and reads the first result. An expired key row is taken
   * over in place the same way, so it is a new create. IdempotencyKeyReusedError when the key was
   * used with other details; PatientNotFoundError when its patient is gone.
   */
  async insertOnce(
    details: PatientDetails,
    eventsFor: PatientEventsFor,
    idempotency: { actorId: string; key: string; fingerprint: string },
    refuseLikelyDuplicates = false,
  ): Promise<{ patient: Patient; replayed: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const id = randomUUID();
      // DO UPDATE locks the conflicting row even when its WHERE is false: a live key stays locked
      // (the purge skips it) until this transaction has read its first result.
      const claimed = await this.run(
        `INSERT INTO patient_idempotency_keys (actor_id, idempotency_key, request_fingerprint, patient_id)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT pk_patient_idempotency_keys DO UPDATE
           SET request_fingerprint = EXCLUDED.request_fingerprint, patient_id = EXCLUDED.patient_id, created_at = now()
           WHERE patient_idempotency_keys.${expiredKey('$5')}
         RETURNING patient_id`,
        [idempotency.actorId, idempotency.key, idempotency.fingerprint, id, this.idempotencyKeyTtlHours],
        manager,
      );
      if (claimed.length === 0) {
        const [first] = await this.run<{ request_fingerprint: string; patient_id: string }>(
          'SELECT request_fingerprint, patient_id FROM patient_idempotency_keys WHERE actor_id = $1 AND idempotency_key = $2',
          [idempotency.actorId, idempotency.key],
          manager,
        );
        if (first.request_fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReusedError();
        const [row] = await this.run<PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE id = $1 AND deleted_at IS NULL`, [first.patient_id], manager);
        if (!row) throw new PatientNotFoundError(first.patient_id);
        return { patient: this.toPatient(row), replayed: true };
      }
      // Checked after the claim, so a replay answers its first result; a refusal frees the key.
      const patient = this.toPatient(await this.insertNew(manager, id, details, refuseLikelyDuplicates));
      await this.recordEvents(manager, eventsFor(patient));
      return { patient, replayed: false };
    });
  }

  /**
   * Deletes up to `limit` idempotency keys older than the TTL; how many it deleted. Keys a create
   * holds right now are skipped, not waited for.
   */
  async deleteExpiredIdempotencyKeys(limit: number): Promise<number> {
    const [{ deleted }] = await this.run<{ deleted: number }>(
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

  /** Inserts with a given id unless that id or the email exists; null when nothing was inserted. */
  async insertIfAbsent(id: string, details: PatientDetails, eventsFor: PatientEventsFor): Promise<Patient | null> {
    return this.change(eventsFor, (manager) =>
      this.run<PatientRow>(
        `INSERT INTO patients (id, name, email, address, date_of_birth, birth_date_index, registered_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [id, details.name, details.email, ...this.sealed(details), details.registeredDate],
        manager,
      ),
    );
  }

  /**
   * Inserts the patient within `manager`'s transaction; with `refuseLikelyDuplicates`, refuses
   * (PatientLikelyDuplicateError) when a live patient looks like it. Check and insert are atomic:
   * refusing creates of one birth date queue on a transaction lock, and each checks after taking
   * it (a new statement, so it sees what the one before committed). Confirmed creates check
   * nothing and need no lock: each can be ordered after any create it runs alongside.
   */
  private async insertNew(manager: EntityManager, id: string, details: PatientDetails, refuseLikelyDuplicates: boolean): Promise<PatientRow> {
    const [address, dateOfBirth, birthDateIndex] = this.sealed(details);
    if (refuseLikelyDuplicates) {
      await this.run(`SELECT pg_advisory_xact_lock(${LIKELY_DUPLICATES_LOCK}, hashtext($1))`, [birthDateIndex], manager);
      const candidates = await this.findLikelyDuplicates(details.name, birthDateIndex, manager);
      if (candidates.length > 0) throw new PatientLikelyDuplicateError(candidates);
    }
    const [row] = await this.run<PatientRow>(
      `INSERT INTO patients (id, name, email, address, date_of_birth, birth_date_index, registered_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [id, details.name, details.email, address, dateOfBirth, birthDateIndex, details.registeredDate],
      manager,
    );
    return row;
  }

  /**
   * Ids of live patients born the same day (blind index, the birth date being encrypted) whose
   * name is similar (trigram similarity above 0.6, any case), most similar first. Only under the
   * lock insertNew takes, or a create running alongside goes unseen.
   */
  private async findLikelyDuplicates(name: string, birthDateIndex: string, manager: EntityManager): Promise<string[]> {
    const rows = await this.run<{ id: string }>(
      `SELECT id FROM patients
       WHERE birth_date_index = $1 AND deleted_at IS NULL AND similarity(lower(name), lower($2)) > 0.6
       ORDER BY similarity(lower(name), lower($2)) DESC, id LIMIT 10`,
      [birthDateIndex, name],
      manager,
    );
    return rows.map((row) => row.id);
  }

  async findById(id: string): Promise<Patient | null> {
    const rows = await this.run<PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return rows[0] ? this.toPatient(rows[0]) : null;
  }

  /**
   * A page of live patients in the requested order; with a search, the matches ranked by
   * relevance (see patient-search), page and count in one statement.
   */
  async list(query: PatientListQuery): Promise<PatientPage> {
    const direction = query.sort === 'desc' ? 'DESC' : 'ASC';
    const offset = (query.page - 1) * query.size;
    if (query.searchValue) {
      const rows = await this.run<PatientRow & { total: string }>(
        searchSql(COLUMNS, SORT_EXPRESSIONS[query.sortField], direction, query.searchValue),
        searchParams(query.searchValue, query.size, offset),
      );
      return { patients: rows.filter((row) => row.id !== null).map(this.toPatient), totalElements: Number(rows[0].total) };
    }
    // Kept by the database's triggers (live-patient-count migration): counting rows reads the table.
    const [{ total }] = await this.run<{ total: string }>('SELECT sum(live) AS total FROM patient_live_counts', []);
    const rows = await this.run<PatientRow>(
      `SELECT ${COLUMNS} FROM patients WHERE deleted_at IS NULL
       ORDER BY ${SORT_EXPRESSIONS[query.sortField]} ${direction}, id ${direction}
       LIMIT $1 OFFSET $2`,
      [query.size, offset],
    );
    return { patients: rows.map(this.toPatient), totalElements: Number(total) };
  }

  /**
   * Replaces the patient's details and bumps its version; a registeredDate left out stays.
   * Null when there is no such patient; PatientEmailTakenError when the email is someone else's;
   * with `acceptedVersions`, PatientVersionMismatchError unless the stored version is one of them
   * (checked by the UPDATE itself, so two writers with the same version cannot both succeed).
   */
  async update(
    id: string,
    details: Omit<PatientDetails, 'registeredDate'> & { registeredDate?: string },
    eventsFor: PatientEventsFor,
    acceptedVersions?: number[],
  ): Promise<Patient | null> {
    // Wrapped in a CTE so the driver hands back rows (not [rows, count]) and dates as text.
    return this.change(eventsFor, async (manager) => {
      const rows = await this.run<PatientRow>(
        `WITH updated AS (
           UPDATE patients SET name = $2, email = $3, address = $4, date_of_birth = $5, birth_date_index = $6,
             registered_date = COALESCE($7::date, registered_date), updated_at = now(), version = version + 1
           WHERE id = $1 AND deleted_at IS NULL AND ($8::int[] IS NULL OR version = ANY($8::int[])) RETURNING *)
         SELECT ${COLUMNS} FROM updated`,
        [id, details.name, details.email, ...this.sealed(details), details.registeredDate ?? null, acceptedVersions ?? null],
        manager,
      );
      if (rows.length === 0 && acceptedVersions) {
        const exists = await this.run(`SELECT 1 FROM patients WHERE id = $1 AND deleted_at IS NULL`, [id], manager);
        if (exists.length > 0) throw new PatientVersionMismatchError(id);
      }
      return rows;
    });
  }

  /** Soft-deletes (hides) and returns the patient; null when there was none to delete. */
  async delete(id: string, eventsFor: PatientEventsFor): Promise<Patient | null> {
    return this.change(eventsFor, (manager) =>
      this.run<PatientRow>(
        `WITH deleted AS (
           UPDATE patients SET deleted_at = now(), updated_at = now(), version = version + 1
           WHERE id = $1 AND deleted_at IS NULL RETURNING *)
         SELECT ${COLUMNS} FROM deleted`,
        [id],
        manager,
      ),
    );
  }

  /**
   * Brings a soft-deleted patient back, recording `eventsFor` it. A patient that is not deleted is
   * returned unchanged with no event (`restored: false`); null when there is no such patient;
   * PatientEmailTakenError when another patient has taken its email meanwhile.
   */
  async restore(id: string, eventsFor: PatientEventsFor): Promise<{ patient: Patient; restored: boolean } | null> {
    return this.dataSource.transaction(async (manager) => {
      const [restored] = await this.run<PatientRow>(
        `WITH restored AS (
           UPDATE patients SET deleted_at = NULL, updated_at = now(), version = version + 1
           WHERE id = $1 AND deleted_at IS NOT NULL RETURNING *)
         SELECT ${COLUMNS} FROM restored`,
        [id],
        manager,
      );
      if (restored) {
        const patient = this.toPatient(restored);
        await this.recordEvents(manager, eventsFor(patient));
        return { patient, restored: true };
      }
      const [live] = await this.run<PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE id = $1 AND deleted_at IS NULL`, [id], manager);
      return live ? { patient: this.toPatient(live), restored: false } : null;
    });
  }

  /** Runs one change and records its events in the same transaction; no row changed, no event. */
  private change(eventsFor: PatientEventsFor, write: (manager: EntityManager) => Promise<PatientRow[]>): Promise<Patient | null> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await write(manager);
      if (!rows[0]) return null;
      const patient = this.toPatient(rows[0]);
      await this.recordEvents(manager, eventsFor(patient));
      return patient;
    });
  }

  private async recordEvents(manager: EntityManager, events: ReturnType<PatientEventsFor>): Promise<void> {
    try {
      await this.outbox.add(manager, events);
    } catch (error) {
      // The failed INSERT's parameters are the events, which carry names and emails.
      throw PatientStorageError.from(error);
    }
  }

  private async run<Row>(sql: string, params: unknown[], manager: EntityManager = this.dataSource.manager): Promise<Row[]> {
    try {
      return (await manager.query(sql, params)) as Row[];
    } catch (error) {
      if (isEmailTaken(error)) throw new PatientEmailTakenError();
      throw PatientStorageError.from(error);
    }
  }
}
