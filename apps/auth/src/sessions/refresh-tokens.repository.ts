import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource, IsNull } from 'typeorm';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';

export interface NewRefreshToken {
  familyId: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
}

/** The token a refresh has just marked used. */
export interface ClaimedRefreshToken {
  familyId: string;
  userId: string;
}

/**
 * Refresh tokens (and the user a rotation reads back). The rotation of one token joins the
 * service's transaction through `tx`; a method whose `tx` is optional also runs on its own.
 */
@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: NewRefreshToken, tx: Transaction = this.dataSource.manager): Promise<void> {
    await tx.getRepository(RefreshToken).insert(token);
  }

  /**
   * Marks the token used if it is unused, unrevoked and unexpired, in one conditional UPDATE: of
   * two concurrent refreshes with one token, exactly one gets it (the other waits for the row
   * lock, then finds `used_at` set). Null when it was not claimable.
   */
  async claim(tokenHash: string, now: Date, tx: Transaction): Promise<ClaimedRefreshToken | null> {
    // For an UPDATE, TypeORM's PostgreSQL driver answers [returned rows, affected count].
    const [rows] = (await tx.query(
      `UPDATE refresh_tokens SET used_at = $2
       WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
       RETURNING family_id, user_id`,
      [tokenHash, now],
    )) as [{ family_id: string; user_id: string }[], number];
    return rows.length === 1 ? { familyId: rows[0].family_id, userId: rows[0].user_id } : null;
  }

  find(tokenHash: string, tx: Transaction): Promise<RefreshToken | null> {
    return tx.getRepository(RefreshToken).findOneBy({ tokenHash });
  }

  findUser(userId: string, tx: Transaction): Promise<User | null> {
    return tx.getRepository(User).findOneBy({ id: userId });
  }

  /** Revokes every still-valid token of a login session (logout, or a reused token's whole family). */
  revokeFamily(familyId: string, now: Date, tx: Transaction = this.dataSource.manager): Promise<number> {
    return revokeWhere(tx, { familyId }, now);
  }

  /** Revokes every still-valid token of every session of a user (disabled, role change, password reset). */
  revokeAllOfUser(userId: string, now: Date): Promise<number> {
    return revokeWhere(this.dataSource.manager, { userId }, now);
  }
}

async function revokeWhere(tx: Transaction, where: { familyId: string } | { userId: string }, now: Date): Promise<number> {
  const result = await tx.getRepository(RefreshToken).update({ ...where, revokedAt: IsNull() }, { revokedAt: now });
  return result.affected ?? 0;
}
