import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A migration's SQL statements, run in order within the migration's transaction. */
export type SqlMigrationSteps =
  | { up: readonly string[]; down: readonly string[] }
  // A migration that cannot be undone says why: reverting it throws that reason.
  | { up: readonly string[]; irreversible: string };

/**
 * The base of every migration, so a migration file is just its SQL:
 * `export class CreateNotes1700000000000 extends sqlMigration('CreateNotes1700000000000', { up: [...], down: [...] }) {}`.
 * `name` is what TypeORM records in the migrations table (and finds the timestamp in), so it stays
 * the class name written out, never derived from a class name a bundler may rename.
 */
export function sqlMigration(name: string, steps: SqlMigrationSteps): new () => MigrationInterface {
  return class implements MigrationInterface {
    readonly name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await runInOrder(queryRunner, steps.up);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      if ('irreversible' in steps) throw new Error(steps.irreversible);
      await runInOrder(queryRunner, steps.down);
    }
  };
}

async function runInOrder(queryRunner: QueryRunner, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await queryRunner.query(statement);
}
