// `npm start`: infrastructure, a build, the six services with demo data; prints the URLs once the
// gateway's /health/system is 200; Ctrl-C stops the services and the infrastructure this run started.
//
// The end-to-end tests start a second copy beside a developer's with
//   --offset 10000 --database-suffix _e2e --fresh-databases --group-suffix=-e2e-<time> --keep-infra
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT, ensureInfrastructure, silenceKafkajsTimeoutWarning, stopInfrastructure } from './infra.mjs';

silenceKafkajsTimeoutWarning();
import { SERVICES } from './services.mjs';
import { startSystem } from './system.mjs';

const { values: options } = parseArgs({
  options: {
    offset: { type: 'string', default: '0' },
    'database-suffix': { type: 'string', default: '' },
    'group-suffix': { type: 'string', default: '' },
    'fresh-databases': { type: 'boolean', default: false },
    'keep-infra': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const offset = Number(options.offset);
const databaseSuffix = options['database-suffix'];
const databases = SERVICES.filter((s) => s !== 'gateway').map((s) => `${s}${databaseSuffix}`);

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const indent = (line) => console.log(`  ${line}`);

async function dropDatabases(names) {
  const client = new pg.Client({
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USER ?? 'postgres',
    password: process.env.DB_PASSWORD || undefined,
    database: 'postgres',
  });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function main() {
  console.log('Starting infrastructure (PostgreSQL, Redis, Kafka)...');
  if (options['fresh-databases']) {
    if (!databaseSuffix) throw new Error('--fresh-databases needs --database-suffix (it never drops the main databases)');
    await dropDatabases(databases).catch(() => undefined);
  }
  const infrastructure = await ensureInfrastructure({ databases, log: indent });

  if (!options['no-build']) {
    console.log('Building the services...');
    const build = spawnSync(process.execPath, [path.join(ROOT, 'infrastructure', 'local', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the build failed');
  }

  console.log('Starting the six services...');
  const system = await startSystem({ offset, databaseSuffix, groupSuffix: options['group-suffix'], demoSeed: true });
  const p = system.ports;
  console.log(`
Ready in ${seconds()} s.

  Gateway (REST edge)   http://localhost:${p.gateway}   e.g. POST /auth/login, GET /api/patients
  System health         http://localhost:${p.gateway}/health/system
  OpenAPI documents     http://localhost:${p.gateway}/api-docs/{auth|patients|billing|analytics|appointments}
  Billing gRPC          localhost:${p.billingGrpc}   /BillingService/CreateBillingAccount
  Services (direct)     patient :${p.patient}  billing :${p.billing}  analytics :${p.analytics}  auth :${p.auth}  appointment :${p.appointment}
  Kafka                 127.0.0.1:9092
  Logs                  ${path.relative(ROOT, system.logDir)}/<service>.log

  Demo login: testuser@test.com / password123 (ADMIN); doctor@, nurse@, billing@, analyst@test.com likewise.
  Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the services...');
    await system.stop();
    if (!options['keep-infra'] && infrastructure.started.length > 0) {
      await stopInfrastructure({ only: infrastructure.started, log: indent });
    }
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const [name, { child, logFile }] of system.children) {
    child.once('exit', (code) => {
      if (!stopping) console.error(`The ${name} service stopped unexpectedly (code ${code}); see ${logFile}`);
    });
  }
}

main().catch((error) => {
  console.error(`Start failed: ${error.message}`);
  process.exit(1);
});
