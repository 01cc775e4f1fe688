// Starts the six built services as child processes, waits until the gateway's /health/system is
// 200, and stops them again (SIGTERM, so each shuts down gracefully).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './infra.mjs';
import { SERVICES, serviceEnvironments, servicePorts } from './services.mjs';

export const LOG_DIR = path.join(ROOT, '.cache', 'logs');

export async function startSystem({ offset = 0, databaseSuffix = '', groupSuffix = '', demoSeed = true, timeoutMs = 90_000 } = {}) {
  const environments = serviceEnvironments({ offset, databaseSuffix, groupSuffix, demoSeed });
  const logDir = path.join(LOG_DIR, offset ? `offset-${offset}` : 'default');
  mkdirSync(logDir, { recursive: true });
  const children = new Map();
  for (const name of SERVICES) {
    const logFile = path.join(logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'w' });
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...stringify(environments[name]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.exitedEarly = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    children.set(name, { child, logFile });
  }
  const system = { children, ports: servicePorts(offset), logDir, stop: () => stopSystem(children) };
  try {
    await waitUntilHealthy(system, timeoutMs);
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

function stringify(env) {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

async function waitUntilHealthy(system, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const url = `http://127.0.0.1:${system.ports.gateway}/health/system`;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    for (const [name, { child, logFile }] of system.children) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`The ${name} service exited during start-up (code ${child.exitCode}); see ${logFile}`);
      }
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The system was not healthy within ${timeoutMs} ms; last answer from ${url}: ${last}. Logs: ${system.logDir}`);
}

async function stopSystem(children) {
  await Promise.all(
    [...children.values()].map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await child.exitedEarly;
      clearTimeout(killed);
    }),
  );
}
