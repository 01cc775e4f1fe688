import { loadConfigOrExit, migrateDatabase } from '@pm/platform';
import { billingConfigSchema } from '../config/billing.config';
import { billingSchema } from './billing-schema';

migrateDatabase('billing', loadConfigOrExit(billingConfigSchema, 'billing'), billingSchema).catch((error: Error) => {
  process.stderr.write(`billing: migration failed: ${error.message}\n`);
  process.exit(1);
});
