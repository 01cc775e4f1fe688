import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Transaction } from '@pm/platform';
import { PatientDirectoryEntry } from './patient-directory-entry.entity';

@Injectable()
export class PatientsDirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(patientId: string): Promise<PatientDirectoryEntry | null> {
    return this.dataSource.getRepository(PatientDirectoryEntry).findOneBy({ patientId });
  }

  /**
   * Upserts the entry unless the stored one has meanwhile moved past it (another consumer
   * applied a newer event between our read and this write). Returns whether it was written.
   */
  async save(entry: PatientDirectoryEntry, tx: Transaction): Promise<boolean> {
    const written: unknown[] = await tx.query(
      `INSERT INTO patients_directory AS stored (patient_id, name, deleted, last_event_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (patient_id) DO UPDATE
         SET name = EXCLUDED.name, deleted = EXCLUDED.deleted,
             last_event_at = EXCLUDED.last_event_at
         WHERE stored.last_event_at IS NULL
            OR EXCLUDED.last_event_at IS NULL
            OR stored.last_event_at <= EXCLUDED.last_event_at
       RETURNING patient_id`,
      [entry.patientId, entry.name, entry.deleted, entry.lastEventAt],
    );
    return written.length > 0;
  }
}
