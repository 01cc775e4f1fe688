import { loadConfigOrExit, migrateDatabase } from '@pm/platform';
import { analyticsConfigSchema } from '../config/analytics.config';
import { analyticsSchema } from './analytics-schema';

migrateDatabase('analytics', loadConfigOrExit(analyticsConfigSchema, 'analytics'), analyticsSchema).catch((error: Error) => {
  process.stderr.write(`analytics: migration failed: ${error.message}\n`);
  process.exit(1);
});
