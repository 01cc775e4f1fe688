// `npm run infra:up`: start (or reuse) PostgreSQL, Redis and Kafka, create databases and topics.
import { ensureInfrastructure, silenceKafkajsTimeoutWarning } from './infra.mjs';

silenceKafkajsTimeoutWarning();
console.log('infra:up');
try {
  const { started, reused } = await ensureInfrastructure({ log: (line) => console.log(`  ${line}`) });
  // process.uptime() includes loading the modules, i.e. the time a person actually waits.
  console.log(
    `infra:up done in ${process.uptime().toFixed(1)}s — ` +
      `started: ${started.join(', ') || 'nothing'}; reused: ${reused.join(', ') || 'nothing'}`,
  );
} catch (err) {
  console.error(`infra:up failed: ${err.message}`);
  process.exitCode = 1;
}
