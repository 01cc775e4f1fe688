import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher';
import { AuditEntry, AuditQuery, NewAuditEntry } from './audit-entry.entity';

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: AuditEntry['action'];
  patient_ids: string[];
  request_id: string | null;
  source_ip: string | null;
  outcome: AuditEntry['outcome'];
  entry_kind: string | null;
  reason: string | null;
}

const toEntry = (row: AuditRow, reason: string | null): AuditEntry =>
  Object.assign(new AuditEntry(), {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    patientIds: row.patient_ids,
    requestId: row.request_id,
    sourceIp: row.source_ip,
    outcome: row.outcome,
    entryKind: row.entry_kind,
    reason,
  });

const COLUMNS_PER_ENTRY = 10;

@Injectable()
export class AuditRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** One multi-row INSERT for the whole batch. */
  async insertMany(entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const params: unknown[] = [];
    const rows = entries.map((entry, index) => {
      const reason = entry.reason ? this.cipher.encrypt(entry.reason) : null;
      params.push(entry.at, entry.actorId, entry.actorRole, entry.action, entry.patientIds, entry.requestId, entry.sourceIp, entry.outcome, entry.entryKind ?? null, reason);
      const n = index * COLUMNS_PER_ENTRY;
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::uuid[], $${n + 6}, $${n + 7}, $${n + 8}, $${n + 9}, $${n + 10})`;
    });
    await this.dataSource.query(
      `INSERT INTO audit_entries (at, actor_id, actor_role, action, patient_ids, request_id, source_ip, outcome, entry_kind, reason) VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** One entry that came as an event; false when an entry with its event id is there already (a redelivery). */
  async insertFromEvent(entry: NewAuditEntry & { eventId: string }): Promise<boolean> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO audit_entries (at, actor_id, actor_role, action, patient_ids, request_id, source_ip, outcome, event_id, entry_kind)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10)
       ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING RETURNING id`,
      [entry.at, entry.actorId, entry.actorRole, entry.action, entry.patientIds, entry.requestId, entry.sourceIp, entry.outcome, entry.eventId, entry.entryKind ?? null],
    );
    return inserted.length > 0;
  }

  /** Newest first. */
  async search(query: AuditQuery): Promise<{ entries: AuditEntry[]; totalElements: number }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (query.patientId) where((p) => `patient_ids @> ARRAY[${p}]::uuid[]`, query.patientId);
    if (query.actorId) where((p) => `actor_id = ${p}`, query.actorId);
    if (query.action) where((p) => `action = ${p}`, query.action);
    if (query.outcome) where((p) => `outcome = ${p}`, query.outcome);
    if (query.from) where((p) => `at >= ${p}`, query.from);
    if (query.to) where((p) => `at < ${p}`, query.to);
    const filter = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM audit_entries ${filter}`, params);
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT id, at, actor_id, actor_role, action, patient_ids, request_id, source_ip, outcome, entry_kind, reason FROM audit_entries ${filter}
       ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.size, (query.page - 1) * query.size],
    );
    return { entries: rows.map((row) => toEntry(row, row.reason && this.cipher.decrypt(row.reason))), totalElements: total };
  }
}
