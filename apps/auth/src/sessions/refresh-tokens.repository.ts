import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
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

/** What the rotation of one refresh token does to the database, all inside one transaction. */
export interface RefreshTokenStore {
  /**
   * Marks the token used if it is unused, unrevoked and unexpired, in one conditional UPDATE: of
   * two concurrent refreshes with one token, exactly one gets it (the other waits for the row
   * lock, then finds `used_at` set). Null when it was not claimable.
   */
  claim(tokenHash: string, now: Date): Promise<ClaimedRefreshToken | null>;
  find(tokenHash: string): Promise<RefreshToken | null>;
  findUser(userId: string): Promise<User | null>;
  insert(token: NewRefreshToken): Promise<void>;
  revokeFamily(familyId: string, now: Date): Promise<number>;
}

class TransactionalRefreshTokenStore implements RefreshTokenStore {
  constructor(private readonly manager: EntityManager) {}

  async claim(tokenHash: string, now: Date): Promise<ClaimedRefreshToken | null> {
    // For an UPDATE, TypeORM's PostgreSQL driver answers [returned rows, affected count].
    const [rows] = (await this.manager.query(
      `UPDATE refresh_tokens SET used_at = $2
       WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
       RETURNING family_id, user_id`,
      [tokenHash, now],
    )) as [{ family_id: string; user_id: string }[], number];
    return rows.length === 1 ? { familyId: rows[0].family_id, userId: rows[0].user_id } : null;
  }

  find(tokenHash: string): Promise<RefreshToken | null> {
    return this.manager.getRepository(RefreshToken).findOneBy({ tokenHash });
  }

  findUser(userId: string): Promise<User | null> {
    return this.manager.getRepository(User).findOneBy({ id: userId });
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.manager.getRepository(RefreshToken).insert(token);
  }

  revokeFamily(familyId: string, now: Date): Promise<number> {
    return revokeWhere(this.manager, { familyId }, now);
  }
}

async function revokeWhere(manager: EntityManager, where: { familyId: string } | { userId: string }, now: Date): Promise<number> {
  const result = await manager.getRepository(RefreshToken).update({ ...where, revokedAt: IsNull() }, { revokedAt: now });
  return result.affected ?? 0;
}

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.dataSource.getRepository(RefreshToken).insert(token);
  }

  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  inTransaction<T>(work: (store: RefreshTokenStore) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new TransactionalRefreshTokenStore(manager)));
  }

  /** Revokes every still-valid token of a login session (logout). */
  revokeFamily(familyId: string, now: Date): Promise<number> {
    return revokeWhere(this.dataSource.manager, { familyId }, now);
  }

  /** Revokes every still-valid token of every session of a user (disabled, role change, password reset). */
  revokeAllOfUser(userId: string, now: Date): Promise<number> {
    return revokeWhere(this.dataSource.manager, { userId }, now);
  }
}
