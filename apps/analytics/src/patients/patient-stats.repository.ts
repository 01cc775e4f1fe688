import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource } from 'typeorm';
import { recordProcessedEvent } from '../events/processed-events';
import { PatientRegistryEntry } from './patient-registry-entry.entity';

export const PatientCountKinds = ['created', 'updated', 'deleted'] as const;
export type PatientCountKind = (typeof PatientCountKinds)[number];

export interface PatientSummary {
  total: number;
  createdToday: number;
  updatedToday: number;
  deletedToday: number;
}

// Column names come from this fixed map, never from input.
const countColumn: Record<PatientCountKind, string> = { created: 'created', updated: 'updated', deleted: 'deleted' };

@Injectable()
export class PatientStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the event was applied before: then nothing else may be written in `tx`. */
  recordProcessed(eventId: string, topic: string, tx: Transaction): Promise<boolean> {
    return recordProcessedEvent(eventId, topic, tx);
  }

  async incrementDailyCount(day: string, kind: PatientCountKind, tx: Transaction): Promise<void> {
    const column = countColumn[kind];
    await tx.query(
      `INSERT INTO patient_daily_counts (day, ${column}) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET ${column} = patient_daily_counts.${column} + 1`,
      [day],
    );
  }

  /** Locks the patient's row until `tx` ends. */
  async findRegistryEntry(patientId: string, tx: Transaction): Promise<PatientRegistryEntry | null> {
    const rows: { patient_id: string; deleted: boolean; last_event_at: Date }[] = await tx.query(
      'SELECT patient_id, deleted, last_event_at FROM patient_registry WHERE patient_id = $1 FOR UPDATE',
      [patientId],
    );
    if (rows.length === 0) return null;
    return Object.assign(new PatientRegistryEntry(), {
      patientId: rows[0].patient_id,
      deleted: rows[0].deleted,
      lastEventAt: rows[0].last_event_at,
    });
  }

  async saveRegistryEntry(entry: PatientRegistryEntry, tx: Transaction): Promise<void> {
    await tx.query(
      `INSERT INTO patient_registry (patient_id, deleted, last_event_at) VALUES ($1, $2, $3)
       ON CONFLICT (patient_id) DO UPDATE SET deleted = EXCLUDED.deleted, last_event_at = EXCLUDED.last_event_at`,
      [entry.patientId, entry.deleted, entry.lastEventAt],
    );
  }

  /** The total and one day's counts, read in one statement so they agree with each other. */
  async readSummary(day: string): Promise<PatientSummary> {
    const [row]: PatientSummary[] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM patient_registry WHERE NOT deleted)::int AS "total",
              coalesce(d.created, 0) AS "createdToday",
              coalesce(d.updated, 0) AS "updatedToday",
              coalesce(d.deleted, 0) AS "deletedToday"
       FROM (VALUES (1)) AS one
       LEFT JOIN patient_daily_counts d ON d.day = $1::date`,
      [day],
    );
    return row;
  }
}
