import { loadConfigOrExit } from '@pm/platform';
import { analyticsConfigSchema } from '../config/analytics.config';
import { rebuildAndCompare } from './analytics-rebuild';

/**
 * `npm run analytics:rebuild`: replays patient, appointment and billing from the beginning into
 * fresh tables (`<DB_NAME>_rebuild`) with the service's own apply code, stops at the end offsets
 * seen at start, and compares with the live tables. Exit 0 equal, 1 different, 2 failed.
 * Events published while it runs may reach the live tables only: rerun when nothing is produced.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit(analyticsConfigSchema, 'analytics');
  const out = (line: string) => process.stdout.write(`analytics:rebuild: ${line}\n`);
  const result = await rebuildAndCompare(config, { log: out });
  out(`applied ${result.applied} events, skipped ${result.skipped} unusable ones, into ${result.scratchDatabase}`);
  if (result.equal) {
    out('EQUAL: the rebuilt aggregates equal the live ones');
    process.exit(0);
  }
  out(`DIFFERENT: ${result.differences.length} differences`);
  for (const difference of result.differences) out(`  ${difference}`);
  process.exit(1);
}

main().catch((error: Error) => {
  process.stderr.write(`analytics:rebuild: failed: ${error.message}\n`);
  process.exit(2);
});
