import { exportJWK, generateKeyPair } from 'jose';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connectTestDatabase, waitFor } from '@pm/testing';
import demoPatients from '../../apps/patient/src/demo/demo-patients.json';
import { serviceLag } from './clients';
import { E2E_PORT_OFFSET, analyticsGroupFile } from './system';

const ROOT = path.resolve(__dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;

/**
 * Starts the whole system the way a developer does (`infrastructure/local/start.mjs`, built code,
 * demo data), on shifted ports with fresh databases, and waits for its "Ready" line.
 */
export default async function globalSetup(): Promise<void> {
  const groupSuffix = `-e2e-${Date.now()}`;
  mkdirSync(path.join(ROOT, '.cache'), { recursive: true });
  writeFileSync(path.join(ROOT, analyticsGroupFile), `analytics${groupSuffix}`);
  // A signing key the tests know, so they can forge correctly signed but expired or misaddressed tokens.
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKeys = JSON.stringify([{ ...(await exportJWK(privateKey)), kid: `e2e-${randomUUID()}`, alg: 'ES256' }]);
  writeFileSync(path.join(ROOT, '.cache', 'e2e-signing-keys.json'), signingKeys, { mode: 0o600 });
  const child = spawn(
    process.execPath,
    [
      'infrastructure/local/start.mjs',
      '--offset', String(E2E_PORT_OFFSET),
      '--database-suffix', '_e2e',
      '--fresh-databases',
      `--group-suffix=${groupSuffix}`,
      '--keep-infra',
      '--no-build',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AUTH_SIGNING_KEYS: signingKeys } },
  );
  (globalThis as { e2eSystem?: typeof child }).e2eSystem = child;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The system did not start within ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in [\d.]+ s/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The system exited during start-up (code ${code}):\n${output}`));
    });
  });
  // Fresh consumer groups read the shared topics from the beginning: suites may book the demo
  // patients only once the appointment service has read them (and analytics is at the end too).
  const caughtUp = Date.now();
  await waitFor(async () => (await demoPatientsInAppointmentDirectory()) === demoPatients.length, {
    timeoutMs: READY_TIMEOUT_MS,
    intervalMs: 500,
    description: 'the demo patients in the appointment service\'s directory',
  });
  for (const service of ['analytics']) {
    await waitFor(async () => (await serviceLag(service, ['patient'])) === 0, {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 500,
      description: `the ${service} service reading the patient topic to its end`,
    });
  }
  process.stdout.write(
    `\n${output.match(/Ready in [\d.]+ s/)?.[0]} (end-to-end system on ports +${E2E_PORT_OFFSET}); consumers caught up in ${((Date.now() - caughtUp) / 1000).toFixed(1)} s\n`,
  );
}

async function demoPatientsInAppointmentDirectory(): Promise<number> {
  const client = await connectTestDatabase('appointment_e2e');
  try {
    const { rows } = await client.query('SELECT count(*)::int AS count FROM patients_directory WHERE patient_id = ANY($1::uuid[])', [demoPatients.map((p) => p.id)]);
    return rows[0].count;
  } finally {
    await client.end();
  }
}
