import { loadConfigOrExit, migrateDatabase } from '@pm/platform';
import { authConfigSchema } from '../config/auth.config';
import { authSchema } from './auth-schema';

migrateDatabase('auth', loadConfigOrExit(authConfigSchema, 'auth'), authSchema).catch((error: Error) => {
  process.stderr.write(`auth: migration failed: ${error.message}\n`);
  process.exit(1);
});
