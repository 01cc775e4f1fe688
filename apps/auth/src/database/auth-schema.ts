import type { DatabaseSchema } from '@pm/platform';
import { RefreshToken } from '../sessions/refresh-token.entity';
import { User } from '../users/user.entity';
import { CreateUsers1763900500000 } from './migrations/1763900500000-create-users';
import { CreateRefreshTokens1764000000000 } from './migrations/1764000000000-create-refresh-tokens';
import { CreateRevocations1764100000000 } from './migrations/1764100000000-create-revocations';

/** Auth's tables and the migrations that make them, in order. */
export const authSchema: DatabaseSchema = {
  entities: [User, RefreshToken],
  migrations: [CreateUsers1763900500000, CreateRefreshTokens1764000000000, CreateRevocations1764100000000],
};
