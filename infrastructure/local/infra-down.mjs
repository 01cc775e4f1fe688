// `npm run infra:down`: stop only what infra:up started; servers that were already running stay up.
import { silenceKafkajsTimeoutWarning, stopInfrastructure } from './infra.mjs';

silenceKafkajsTimeoutWarning();
console.log('infra:down');
try {
  const stopped = await stopInfrastructure({ log: (line) => console.log(`  ${line}`) });
  console.log(`infra:down done in ${process.uptime().toFixed(1)}s — stopped: ${stopped.join(', ') || 'nothing'}`);
} catch (err) {
  console.error(`infra:down failed: ${err.message}`);
  process.exitCode = 1;
}
