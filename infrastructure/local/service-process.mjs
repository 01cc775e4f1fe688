// One built service (dist/apps/<name>) as its own process, so a test or benchmark can stop it
// gracefully, kill it mid-flight, and start it again. Output goes to .cache/logs/<folder>/<name>.log.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './infra.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class ServiceProcess {
  /** `env` is added to this process's environment; `healthUrl` answers 200 once it is ready. */
  constructor(name, env, healthUrl, logFolder) {
    this.name = name;
    this.env = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
    this.healthUrl = healthUrl;
    const dir = path.join(ROOT, '.cache', 'logs', logFolder);
    mkdirSync(dir, { recursive: true });
    this.logFile = path.join(dir, `${name}.log`);
    this.child = null;
    this.exited = Promise.resolve();
  }

  /** Starts it and resolves once the health URL answers 200; returns the milliseconds that took. */
  async start(timeoutMs = 60_000) {
    const started = Date.now();
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps', this.name, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited during start-up (code ${child.exitCode}); see ${this.logFile}`);
      const status = await fetch(this.healthUrl, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
      if (status === 200) return Date.now() - started;
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }

  /** SIGTERM: the service's own graceful shutdown. */
  stop() {
    return this.end('SIGTERM');
  }

  /** SIGKILL: a crash, nothing flushed or finished. */
  kill() {
    return this.end('SIGKILL');
  }

  async end(signal) {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(forced);
  }
}
