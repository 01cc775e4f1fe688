import { ApiProperty } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import { AuditActions, AuditEntry, AuditOutcomes } from '../audit-entry.entity';

export class AuditEntryResponse {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ nullable: true, type: String, description: 'The user; null when no valid token was shown (401)' })
  actorId: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'DOCTOR' })
  actorRole: string | null;

  @ApiProperty({ enum: AuditActions })
  action: AuditEntry['action'];

  @ApiProperty({ type: [String], format: 'uuid', description: 'The patients the request was about (the ones listed for LIST)' })
  patientIds: string[];

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ nullable: true, type: String })
  requestId: string | null;

  @ApiProperty({ nullable: true, type: String })
  sourceIp: string | null;

  @ApiProperty({ enum: AuditOutcomes })
  outcome: AuditEntry['outcome'];

  @ApiProperty({ nullable: true, type: String, description: 'The kind of clinical entry (allergies, conditions, medications, vitals, notes), `record` for the chart, `restriction` or `care-team` for who may read the record; null for the patient record itself' })
  entryKind: string | null;

  @ApiProperty({ required: false, type: String, description: 'Why the glass was broken: only on EMERGENCY entries' })
  reason?: string;

  static from(entry: AuditEntry): AuditEntryResponse {
    const fields = { ...responseFields(entry, ['id', 'actorId', 'actorRole', 'action', 'patientIds', 'at', 'requestId', 'sourceIp', 'outcome']), entryKind: entry.entryKind ?? null };
    return entry.outcome === 'EMERGENCY' ? { ...fields, reason: entry.reason ?? '' } : fields;
  }
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse], description: 'Newest first' })
  entries: AuditEntryResponse[];

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  size: number;

  @ApiProperty({ example: 57 })
  totalElements: number;
}
