import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Revocation } from '@pm/auth-tokens';
import { DataSource } from 'typeorm';

/** The revocation list as auth records it in its own database (the source Redis is refilled from). */
@Injectable()
export class RevocationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds an entry; one already there keeps the later cut-off and the later expiry. */
  async save({ key, value, expiresAtMs }: Revocation): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO revocations (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET
         value = CASE WHEN EXCLUDED.value::numeric > revocations.value::numeric THEN EXCLUDED.value ELSE revocations.value END,
         expires_at = GREATEST(revocations.expires_at, EXCLUDED.expires_at)`,
      [key, value, new Date(expiresAtMs)],
    );
  }

  /** Every entry still in force; expired ones are deleted on the way. */
  async unexpired(now: Date): Promise<Revocation[]> {
    await this.dataSource.query('DELETE FROM revocations WHERE expires_at <= $1', [now]);
    const rows = (await this.dataSource.query('SELECT key, value, expires_at FROM revocations ORDER BY created_at', [])) as {
      key: string;
      value: string;
      expires_at: Date;
    }[];
    return rows.map((row) => ({ key: row.key, value: row.value, expiresAtMs: new Date(row.expires_at).getTime() }));
  }
}
