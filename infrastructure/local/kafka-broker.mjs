// A private single-node Kafka broker that a test or benchmark may stop, kill and start again
// without disturbing the project's shared broker (infra.mjs) or anybody else's. Same jars, its own
// port, its own storage under .cache/, its own log; topics are the contract's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { JVM_OPTS, KAFKA_LIBS, ROOT, TOPICS, ensureTopics, fetchKafka, formatKafkaStorage, isPortOpen, java, silenceKafkajsTimeoutWarning, waitForKafka, writeServerProperties } from './infra.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class PrivateKafkaBroker {
  /** `port` for clients; the controller listens on port + 1. `name` names its folder. */
  constructor({ port, name = `kafka-${port}`, log = () => {} }) {
    const dir = path.join(ROOT, '.cache', name);
    this.broker = { host: '127.0.0.1', port, dir, data: path.join(dir, 'data'), props: path.join(dir, 'server.properties') };
    this.logFile = path.join(dir, 'kafka.log');
    this.brokers = [`127.0.0.1:${port}`];
    this.pidFile = path.join(dir, 'kafka.pid');
    this.log = log;
    this.child = null;
    silenceKafkajsTimeoutWarning();
  }

  /** Starts the broker (fresh storage when `fresh`), waits until producers and groups work, makes the topics. */
  async start({ fresh = false, timeoutMs = 90_000 } = {}) {
    if (this.child) throw new Error(`the private Kafka broker on ${this.brokers[0]} is already running`);
    if (await isPortOpen('127.0.0.1', this.broker.port)) throw new Error(`port ${this.broker.port} is taken; the private Kafka broker cannot start`);
    this.killLeftOver();
    await fetchKafka(this.log);
    if (fresh) fs.rmSync(this.broker.data, { recursive: true, force: true });
    writeServerProperties(this.broker);
    await formatKafkaStorage(this.log, this.broker);
    const out = fs.openSync(this.logFile, 'a');
    const child = spawn(java(), [...JVM_OPTS, '-cp', path.join(KAFKA_LIBS, '*'), 'kafka.Kafka', this.broker.props], {
      cwd: this.broker.dir,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    fs.writeFileSync(this.pidFile, `${child.pid}\n`);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    const started = Date.now();
    await this.waitUntilReady(timeoutMs);
    await ensureTopics(TOPICS, this.log, { brokers: this.brokers });
    return Date.now() - started;
  }

  /** An orderly shutdown (SIGTERM), as an operator's restart. */
  stop(timeoutMs = 30_000) {
    return this.end('SIGTERM', timeoutMs);
  }

  /** Gone at once (SIGKILL), as a crashed machine. */
  kill() {
    return this.end('SIGKILL', 10_000);
  }

  async end(signal, timeoutMs) {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const forced = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(forced);
    }
    // The port is free only once the socket is closed; a restart right away must not find it taken.
    while (await isPortOpen('127.0.0.1', this.broker.port, 200)) await sleep(100);
  }

  /** A broker of this folder left running by a run that died (it would hold the port). */
  killLeftOver() {
    const pid = Number(fs.existsSync(this.pidFile) ? fs.readFileSync(this.pidFile, 'utf8') : NaN);
    if (!Number.isInteger(pid)) return;
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.broker.props)) process.kill(pid, 'SIGKILL');
    } catch {
      // Not running (or not ours): nothing to do.
    }
    fs.rmSync(this.pidFile, { force: true });
  }

  waitUntilReady(timeoutMs) {
    return waitForKafka(timeoutMs, { brokers: this.brokers, logFile: this.logFile, hasExited: () => this.child?.exitCode !== null || this.child?.signalCode !== null });
  }
}
