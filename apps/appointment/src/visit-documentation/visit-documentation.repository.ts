import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Who an appointment is for and whether a note documented it yet. */
export interface DocumentationState {
  patientId: string;
  documentedAt: Date | null;
}

/** The `documented_at` of appointments: set once, never moved, never cleared. */
@Injectable()
export class VisitDocumentationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Marks the appointment documented at `at` if it is the patient's and not documented yet; whether
   * it did. One conditional UPDATE, so a redelivered or concurrent event cannot move the time.
   */
  async markDocumented(appointmentId: string, patientId: string, at: Date): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      'UPDATE appointments SET documented_at = $3 WHERE id = $1 AND patient_id = $2 AND documented_at IS NULL RETURNING id',
      [appointmentId, patientId, at],
    );
    return rows.length > 0;
  }

  /** The appointment's patient and documentation time; null when there is no such appointment. */
  async find(appointmentId: string): Promise<DocumentationState | null> {
    const rows: { patient_id: string; documented_at: Date | null }[] = await this.dataSource.query(
      'SELECT patient_id, documented_at FROM appointments WHERE id = $1',
      [appointmentId],
    );
    return rows.length > 0 ? { patientId: rows[0].patient_id, documentedAt: rows[0].documented_at } : null;
  }
}
