import { sqlMigration } from '@pm/platform';

/**
 * The number of live patients, kept by the database itself: counting them for every unfiltered
 * list page read the whole table (170–400 ms at 1,000,000 patients). Statement-level triggers add
 * each statement's change to one of SLOTS rows picked at random, so concurrent registrations rarely
 * wait on the same row; the count is the sum of the slots, exact at every commit.
 */
const SLOTS = 16;

export class LivePatientCount1765100000000 extends sqlMigration('LivePatientCount1765100000000', {
  up: [
    'CREATE TABLE patient_live_counts (slot smallint PRIMARY KEY, live bigint NOT NULL)',
    `INSERT INTO patient_live_counts (slot, live) SELECT slot, 0 FROM generate_series(0, ${SLOTS - 1}) AS slot`,
    `
      CREATE FUNCTION patient_live_counts_apply(delta bigint) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        -- Drawn once: random() in the WHERE clause would be drawn again for every row.
        picked smallint := floor(random() * ${SLOTS});
      BEGIN
        IF delta <> 0 THEN
          UPDATE patient_live_counts SET live = live + delta WHERE slot = picked;
        END IF;
      END $$`,
    `
      CREATE FUNCTION patient_live_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM patient_live_counts_apply((SELECT count(*) FROM inserted_patients WHERE deleted_at IS NULL));
        RETURN NULL;
      END $$`,
    `
      CREATE FUNCTION patient_live_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM patient_live_counts_apply(
          (SELECT count(*) FROM updated_patients WHERE deleted_at IS NULL) - (SELECT count(*) FROM previous_patients WHERE deleted_at IS NULL));
        RETURN NULL;
      END $$`,
    `
      CREATE FUNCTION patient_live_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM patient_live_counts_apply(-(SELECT count(*) FROM removed_patients WHERE deleted_at IS NULL));
        RETURN NULL;
      END $$`,
    `
      CREATE TRIGGER patient_live_counts_insert AFTER INSERT ON patients
      REFERENCING NEW TABLE AS inserted_patients FOR EACH STATEMENT EXECUTE FUNCTION patient_live_counts_after_insert()`,
    `
      CREATE TRIGGER patient_live_counts_update AFTER UPDATE ON patients
      REFERENCING OLD TABLE AS previous_patients NEW TABLE AS updated_patients FOR EACH STATEMENT EXECUTE FUNCTION patient_live_counts_after_update()`,
    `
      CREATE TRIGGER patient_live_counts_delete AFTER DELETE ON patients
      REFERENCING OLD TABLE AS removed_patients FOR EACH STATEMENT EXECUTE FUNCTION patient_live_counts_after_delete()`,
    // The patients already there: creating the triggers locked the table against writes until this
    // migration commits, so none is added or removed meanwhile.
    'UPDATE patient_live_counts SET live = (SELECT count(*) FROM patients WHERE deleted_at IS NULL) WHERE slot = 0',
  ],
  down: [
    ...['insert', 'update', 'delete'].flatMap((event) => [
      `DROP TRIGGER patient_live_counts_${event} ON patients`,
      `DROP FUNCTION patient_live_counts_after_${event}()`,
    ]),
    'DROP FUNCTION patient_live_counts_apply(bigint)',
    'DROP TABLE patient_live_counts',
  ],
}) {}
