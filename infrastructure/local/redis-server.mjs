// A private redis-server that a test may stop and start again (a Redis outage) without disturbing
// the project's shared Redis or anybody else's: its own port, nothing written to disk (an outage
// of a cache-only Redis: it comes back empty).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT, isPortOpen } from './infra.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class PrivateRedisServer {
  /** `port` 0 (the default) takes a free one at the first start and keeps it for restarts. */
  constructor({ port = 0, name = port ? `redis-${port}` : `redis-${process.pid}` } = {}) {
    this.port = port;
    this.dir = path.join(ROOT, '.cache', name);
    this.logFile = path.join(this.dir, 'redis.log');
    this.pidFile = path.join(this.dir, 'redis.pid');
    this.child = null;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it and resolves once it listens. */
  async start({ timeoutMs = 10_000 } = {}) {
    if (!this.port) this.port = await freePort();
    if (this.child) throw new Error(`the private redis-server on port ${this.port} is already running`);
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
      throw new Error('redis-server is not installed (apt-get install redis-server); the private Redis cannot start');
    }
    this.killLeftOver();
    if (await isPortOpen('127.0.0.1', this.port)) throw new Error(`port ${this.port} is taken; the private redis-server cannot start`);
    fs.mkdirSync(this.dir, { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir];
    const child = spawn('redis-server', args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    fs.writeFileSync(this.pidFile, `${child.pid}\n`);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    const started = Date.now();
    while (!(await isPortOpen('127.0.0.1', this.port, 200))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (code ${child.exitCode}); see ${this.logFile}`);
      if (Date.now() - started > timeoutMs) throw new Error(`redis-server did not listen on ${this.port} within ${timeoutMs} ms; see ${this.logFile}`);
      await sleep(50);
    }
    return Date.now() - started;
  }

  /** Gone at once (SIGKILL): its clients see the connection drop, as in an outage. */
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await this.exited;
    }
    fs.rmSync(this.pidFile, { force: true });
    while (await isPortOpen('127.0.0.1', this.port, 200)) await sleep(50);
  }

  /** A server of this folder left running by a run that died (it would hold the port). */
  killLeftOver() {
    const pid = Number(fs.existsSync(this.pidFile) ? fs.readFileSync(this.pidFile, 'utf8') : NaN);
    if (!Number.isInteger(pid)) return;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server')) process.kill(pid, 'SIGKILL');
    } catch {
      // Not running: nothing to do.
    }
    fs.rmSync(this.pidFile, { force: true });
  }
}
