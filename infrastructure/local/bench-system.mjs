// What the benchmarks that start their own copy of the system share (bench:chart, bench:load):
// fresh databases, the copy with raised limits, seeded patients, demo logins, CPU per process.
// Like the rest of infrastructure/local it is exercised by running the benchmarks, not by tests.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, ensureInfrastructure, stopInfrastructure } from './infra.mjs';
import { SERVICES } from './services.mjs';
import { startSystem } from './system.mjs';

/** The demo accounts' password (apps/auth/src/users/demo-users.seeder.ts). */
export const DEMO_PASSWORD = 'password123';

export const pgConfig = (database) => ({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD || undefined,
  database,
});

export async function withDatabase(database, work) {
  const client = new pg.Client(pgConfig(database));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A copy of the built system on ports shifted by `offset`, on fresh `<service><suffix>` databases,
 * with the environment `env` added (rate limits raised and the like). `stop()` stops the copy and
 * whatever infrastructure had to be started for it.
 */
export async function startBenchSystem({ suffix, offset, env = {}, log = (line) => console.log(`  ${line}`) }) {
  const databases = SERVICES.filter((s) => s !== 'gateway').map((s) => `${s}${suffix}`);
  await withDatabase('postgres', async (client) => {
    for (const name of databases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  const infrastructure = await ensureInfrastructure({ databases, log });
  // startSystem passes its own environment on to every service.
  Object.assign(process.env, env);
  let system;
  try {
    system = await startSystem({ offset, databaseSuffix: suffix, groupSuffix: `-bench${suffix}-${Date.now()}` });
  } catch (error) {
    if (infrastructure.started.length > 0) await stopInfrastructure({ only: infrastructure.started });
    throw error;
  }
  const stop = async () => {
    await system.stop();
    if (infrastructure.started.length > 0) await stopInfrastructure({ only: infrastructure.started });
  };
  return { ...system, pidOf: (service) => system.children.get(service).child.pid, stop };
}

/** seed:patients into `database` (built dist): `count` synthetic patients, `clinical` entries of every kind each. */
export function seedPatients(database, { count, clinical = 0 }) {
  const seeded = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'patient', 'src', 'seed', 'seed-patients.js'), '--count', String(count), '--clinical', String(clinical), '--database', database],
    { cwd: ROOT, stdio: 'inherit', env: process.env },
  );
  if (seeded.status !== 0) throw new Error('seed:patients failed');
}

/** A demo user's access token, logged in through the gateway. */
export async function login(gateway, email) {
  const response = await fetch(`${gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login of ${email} answered ${response.status}`);
  return (await response.json()).token;
}

/**
 * CPU time a process has used, in ms (Linux /proc; null elsewhere). Unlike latency it barely
 * depends on what else runs on the machine, so it tells a process's own cost per request.
 */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
