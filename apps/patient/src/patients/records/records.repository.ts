import { Injectable } from '@nestjs/common';
import type { Transaction } from '@pm/platform';
import { Patient, PatientDetails } from '../shared/patient.entity';
import { PATIENT_COLUMNS, PatientRow, PatientTable } from '../shared/patient-table';

/** A change of a patient's details; registeredDate left out stays as it is. */
export type PatientChanges = Omit<PatientDetails, 'registeredDate'> & { registeredDate?: string };

/** Reads and changes of existing patient records. Soft-deleted records are hidden from all but restore. */
@Injectable()
export class RecordsRepository {
  constructor(private readonly table: PatientTable) {}

  /** The live patient with this id, read in `tx` when given. */
  findLive(id: string, tx?: Transaction): Promise<Patient | null> {
    return this.table.findLive(id, tx);
  }

  /**
   * Replaces the live patient's details and bumps its version; null when there is no such patient
   * or, with `acceptedVersions`, when its version is none of them (checked by the UPDATE itself,
   * so two writers with the same version cannot both succeed). PatientEmailTakenError when the
   * email is someone else's.
   */
  async update(id: string, changes: PatientChanges, acceptedVersions: number[] | undefined, tx: Transaction): Promise<Patient | null> {
    // Wrapped in a CTE so the driver hands back rows (not [rows, count]) and dates as text.
    const [row] = await this.table.query<PatientRow>(
      `WITH updated AS (
         UPDATE patients SET name = $2, email = $3, address = $4, date_of_birth = $5, birth_date_index = $6,
           registered_date = COALESCE($7::date, registered_date), updated_at = now(), version = version + 1
         WHERE id = $1 AND deleted_at IS NULL AND ($8::int[] IS NULL OR version = ANY($8::int[])) RETURNING *)
       SELECT ${PATIENT_COLUMNS} FROM updated`,
      [id, changes.name, changes.email, ...this.table.sealed(changes), changes.registeredDate ?? null, acceptedVersions ?? null],
      tx,
    );
    return row ? this.table.toPatient(row) : null;
  }

  /** Soft-deletes (hides) and returns the patient as it was left; null when there was none to delete. */
  async softDelete(id: string, tx: Transaction): Promise<Patient | null> {
    const [row] = await this.table.query<PatientRow>(
      `WITH deleted AS (
         UPDATE patients SET deleted_at = now(), updated_at = now(), version = version + 1
         WHERE id = $1 AND deleted_at IS NULL RETURNING *)
       SELECT ${PATIENT_COLUMNS} FROM deleted`,
      [id],
      tx,
    );
    return row ? this.table.toPatient(row) : null;
  }

  /**
   * Brings a soft-deleted patient back; null when there is no deleted patient with this id.
   * PatientEmailTakenError when another patient has taken its email meanwhile.
   */
  async undelete(id: string, tx: Transaction): Promise<Patient | null> {
    const [row] = await this.table.query<PatientRow>(
      `WITH restored AS (
         UPDATE patients SET deleted_at = NULL, updated_at = now(), version = version + 1
         WHERE id = $1 AND deleted_at IS NOT NULL RETURNING *)
       SELECT ${PATIENT_COLUMNS} FROM restored`,
      [id],
      tx,
    );
    return row ? this.table.toPatient(row) : null;
  }
}
