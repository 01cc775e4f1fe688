import { sqlMigration } from '@pm/platform';

export class CreateAuditEntries1764400000000 extends sqlMigration('CreateAuditEntries1764400000000', {
  up: [
    `CREATE TABLE audit_entries (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL,
       actor_id text,
       actor_role text,
       action text NOT NULL CONSTRAINT ck_audit_entries_action CHECK (action IN ('READ', 'LIST', 'CREATE', 'UPDATE', 'DELETE', 'RESTORE')),
       patient_ids uuid[] NOT NULL DEFAULT '{}',
       request_id text,
       source_ip text,
       outcome text NOT NULL CONSTRAINT ck_audit_entries_outcome CHECK (outcome IN ('ALLOWED', 'DENIED'))
     )`,
    'CREATE INDEX ix_audit_entries_at ON audit_entries (at DESC, id DESC)',
    'CREATE INDEX ix_audit_entries_patient_ids ON audit_entries USING gin (patient_ids)',
    'CREATE INDEX ix_audit_entries_actor_id_at ON audit_entries (actor_id, at DESC)',
    // Append-only, enforced by the database itself: a REVOKE would not bind the table's owner or a
    // superuser, a trigger does (short of dropping it, which a migration would show).
    `CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`,
    `CREATE TRIGGER trg_audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
     FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()`,
    `CREATE TRIGGER trg_audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
     FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()`,
  ],
  down: ['DROP TABLE audit_entries', 'DROP FUNCTION audit_entries_append_only()'],
}) {}
