import { sqlMigration } from '@pm/platform';

/**
 * Audit entries that arrive as events (refusals decided by the gateway, Kafka `audit-denials`)
 * carry the event's id, unique, so a redelivered event is written once.
 */
export class AuditEventIds1765300000000 extends sqlMigration('AuditEventIds1765300000000', {
  up: [
    'ALTER TABLE audit_entries ADD COLUMN event_id uuid',
    'CREATE UNIQUE INDEX ux_audit_entries_event_id ON audit_entries (event_id) WHERE event_id IS NOT NULL',
  ],
  down: ['DROP INDEX ux_audit_entries_event_id', 'ALTER TABLE audit_entries DROP COLUMN event_id'],
}) {}
