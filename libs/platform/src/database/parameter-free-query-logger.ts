import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

// Outcomes callers expect and answer (unique and exclusion violations become 409s).
const ANSWERED_SQL_STATES = new Set(['23505', '23P01']);

const statementOf = (query: string) => query.replace(/\s+/g, ' ').slice(0, 200);

/**
 * Logs failed and slow queries by SQLSTATE and statement only. TypeORM's own loggers print a
 * query's parameters and PostgreSQL's detail quotes values; both would put patient data in logs.
 */
export class ParameterFreeQueryLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQueryError(error: string | Error, query: string): void {
    const sqlState = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    const details = { sqlState, statement: statementOf(query) };
    if (sqlState && ANSWERED_SQL_STATES.has(sqlState)) this.logger.debug(details, 'Query refused');
    else this.logger.error(details, 'Query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, statement: statementOf(query) }, 'Slow query');
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }

  logQuery(): void {}

  logSchemaBuild(): void {}
}
