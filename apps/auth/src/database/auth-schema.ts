import type { DatabaseSchema } from '@pm/database';
import { User } from '../users/user.entity';
import { CreateUsers1763900500000 } from './migrations/1763900500000-create-users';

/** Auth's tables and the migrations that make them, in order. */
export const authSchema: DatabaseSchema = {
  entities: [User],
  migrations: [CreateUsers1763900500000],
};
