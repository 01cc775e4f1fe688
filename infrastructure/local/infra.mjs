// Local infrastructure without Docker: reuse PostgreSQL/Redis/Kafka when they already
// run, start what does not, and remember in .cache/infra-state.json what *we* started
// so that stopInfrastructure() never stops somebody else's server.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
const CACHE = path.join(ROOT, '.cache');
const STATE_FILE = path.join(CACHE, 'infra-state.json');
const POM = path.join(HERE, 'kafka', 'pom.xml');
const KAFKA_DIR = path.join(CACHE, 'kafka');
export const KAFKA_LIBS = path.join(KAFKA_DIR, 'libs');
const KAFKA_LIBS_MARKER = path.join(KAFKA_LIBS, '.fetched');
const KAFKA_DATA = path.join(KAFKA_DIR, 'data');
const KAFKA_PROPS = path.join(KAFKA_DIR, 'server.properties');
const KAFKA_PID = path.join(KAFKA_DIR, 'kafka.pid');
export const KAFKA_LOG = path.join(KAFKA_DIR, 'kafka.log');

export const DEFAULT_DATABASES = ['auth', 'patient', 'billing', 'analytics', 'appointment'];
// The one topic list (libs/contracts/src/topics.json): auto-creation is off, so every topic is created here.
const topicList = JSON.parse(fs.readFileSync(path.join(ROOT, 'libs', 'contracts', 'src', 'topics.json'), 'utf8'));
export const TOPICS = Object.values(topicList.topics);
const PARTITIONS = topicList.partitions;

const env = process.env;
const db = {
  host: env.DB_HOST || '127.0.0.1',
  port: Number(env.DB_PORT || 5432),
  user: env.DB_USER || 'postgres',
  password: env.DB_PASSWORD || undefined,
};
const redisUrl = new URL(env.REDIS_URL || 'redis://127.0.0.1:6379');
const redis = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };
const brokers = (env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const [kafkaHost, kafkaPortText] = brokers[0].split(':');
const kafka = { host: kafkaHost, port: Number(kafkaPortText) };

// We only ever start servers on this machine; a remote address that is down is an error.
const isLocal = (host) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function isPortOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(host, port, timeoutMs) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(250)) {
    if (await isPortOpen(host, port)) return true;
  }
  return false;
}

// Runs a command; its output is kept back and only shown (the last lines) when it fails.
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const keep = (chunk) => (output = (output + chunk).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (err) => reject(new Error(`cannot run ${cmd}: ${err.message}`)));
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${output.trim()}`)),
    );
  });
}

function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return {};
  }
}

function writeState(patch) {
  const state = { ...readState(), ...patch };
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(`${STATE_FILE}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
  return state;
}

// A pid alone can be reused by another program, so also check its command line.
function isProcessRunning(pid, needle) {
  if (!pid) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}

function readPid(file) {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- PostgreSQL & Redis

const postgresCluster = () => {
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql').sort() : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed (no /etc/postgresql); install it or set DB_HOST');
  return versions.at(-1);
};
const pgCtl = (action) => run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresCluster(), 'main', action]);

const REDIS_PID = path.join(CACHE, 'redis.pid');
const SERVICES = {
  postgres: {
    label: 'PostgreSQL',
    ...db,
    start: () => pgCtl('start'),
    stop: () => pgCtl('stop'),
  },
  redis: {
    label: 'Redis',
    ...redis,
    start: async () => {
      for (const dir of ['/var/lib/redis', '/var/log/redis']) fs.mkdirSync(dir, { recursive: true });
      fs.mkdirSync(CACHE, { recursive: true });
      await run('redis-server', [
        '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(redis.port),
        '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis',
        '--logfile', '/var/log/redis/ci.log', '--pidfile', REDIS_PID,
      ]);
    },
    stop: async () => {
      const pid = readPid(REDIS_PID);
      if (isProcessRunning(pid, 'redis-server')) process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 40 && isProcessRunning(pid, 'redis-server'); i++) await sleep(250);
    },
  },
};

/** Makes sure PostgreSQL or Redis answers; returns true when this call started it. */
async function ensureService(name, log) {
  const svc = SERVICES[name];
  const where = `${svc.host}:${svc.port}`;
  if (await isPortOpen(svc.host, svc.port)) {
    log(`${svc.label.padEnd(10)} reused   ${where}`);
    return false;
  }
  if (!isLocal(svc.host)) throw new Error(`${svc.label} at ${where} is not reachable`);
  log(`${svc.label.padEnd(10)} starting ${where} ...`);
  try {
    await svc.start();
  } catch (err) {
    throw new Error(`${svc.label} at ${where} is down and could not be started: ${err.message}`, { cause: err });
  }
  if (!(await waitForPort(svc.host, svc.port, 20_000))) {
    throw new Error(`${svc.label} was started but ${where} still does not answer`);
  }
  writeState({ [name]: true });
  log(`${svc.label.padEnd(10)} started  ${where}`);
  return true;
}

async function ensureDatabases(databases, log) {
  const client = new pg.Client({ ...db, database: 'postgres' });
  // Right after a start PostgreSQL can still refuse with "starting up" (57P03).
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect();
      break;
    } catch (err) {
      if (attempt >= 20) throw new Error(`cannot connect to PostgreSQL at ${db.host}:${db.port}: ${err.message}`, { cause: err });
      await sleep(500);
    }
  }
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [databases]);
    const missing = databases.filter((name) => !rows.some((row) => row.datname === name));
    for (const name of missing) {
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } catch (err) {
        // Another process created it in the meantime: fine.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      }
    }
    log(`databases  ${missing.length ? `created ${missing.join(', ')}` : 'all present'} (${databases.join(', ')})`);
    return missing;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- Kafka

const kafkaVersion = () => fs.readFileSync(POM, 'utf8').match(/<kafka\.version>([^<]+)</)[1];
const pomHash = () => createHash('sha256').update(fs.readFileSync(POM)).digest('hex');

/** Fetches the broker jars with Maven once; a changed pom.xml (e.g. new version) fetches again. */
export async function fetchKafka(log) {
  const hash = pomHash();
  if (fs.existsSync(KAFKA_LIBS_MARKER) && fs.readFileSync(KAFKA_LIBS_MARKER, 'utf8').trim() === hash) return false;
  log(`Kafka      fetching ${kafkaVersion()} jars with Maven (once) ...`);
  // Start from an empty folder so jars of an older version never end up on the classpath.
  fs.rmSync(KAFKA_LIBS, { recursive: true, force: true });
  await run('mvn', [
    '-B', '-q', '-f', POM,
    'dependency:copy-dependencies', `-DoutputDirectory=${KAFKA_LIBS}`,
  ]);
  fs.writeFileSync(KAFKA_LIBS_MARKER, `${hash}\n`);
  return true;
}

export const java = () => (env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java');
// Light on a 2-core machine: small heap and the serial GC (no parallel GC threads).
export const JVM_OPTS = [
  '-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-Djava.awt.headless=true',
  '-Dorg.slf4j.simpleLogger.showDateTime=true',
  "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
];

/** The broker this project runs for KAFKA_BROKERS; tests may run private ones beside it (kafka-broker.mjs). */
const DEFAULT_BROKER = { host: kafka.host, port: kafka.port, dir: KAFKA_DIR, data: KAFKA_DATA, props: KAFKA_PROPS };

/** Writes a single-node KRaft broker's server.properties for `broker` ({ host, port, dir, data, props }). */
export function writeServerProperties(broker = DEFAULT_BROKER) {
  const { host, port } = broker;
  const props = {
    // Single node KRaft: one process is both broker and controller.
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${port + 1}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': broker.data,
    // Topics are created explicitly, but auto-created ones should look the same.
    'auto.create.topics.enable': true,
    'num.partitions': PARTITIONS,
    // One node: internal topics cannot be replicated, and few partitions start faster.
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Consumer groups in tests should not wait 3 s before their first rebalance.
    'group.initial.rebalance.delay.ms': 0,
  };
  fs.mkdirSync(broker.dir, { recursive: true });
  const text = Object.entries(props).map(([key, value]) => `${key}=${value}`).join('\n');
  fs.writeFileSync(broker.props, `# Written by infrastructure/local/infra.mjs; edits are overwritten.\n${text}\n`);
}

/** Formats the KRaft storage once; delete .cache/kafka/data to start from an empty cluster. */
export async function formatKafkaStorage(log, broker = DEFAULT_BROKER) {
  if (fs.existsSync(path.join(broker.data, 'meta.properties'))) return false;
  // Kafka cluster ids are 16 random bytes in URL-safe base64; Kafka avoids a leading '-'.
  let clusterId;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  log(`Kafka      formatting storage (cluster id ${clusterId})`);
  await run(java(), [
    ...JVM_OPTS, '-cp', path.join(KAFKA_LIBS, '*'), 'kafka.tools.StorageTool',
    'format', '-t', clusterId, '-c', broker.props,
  ]);
  return true;
}

const ourKafkaPid = () => {
  const pid = readPid(KAFKA_PID);
  return isProcessRunning(pid, 'kafka.Kafka') ? pid : null;
};

function kafkaClient(options = {}) {
  return new Kafka({ clientId: 'infra', brokers, logLevel: logLevel.NOTHING, ...options });
}

// The last few ERROR lines of the broker log, so a failure in CI explains itself.
const logErrors = (logFile = KAFKA_LOG) =>
  fs.readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes(' ERROR ')).slice(-3).join('\n');

/**
 * Resolves once kafkajs can connect and use the group and producer-id coordinators; rejects after
 * timeoutMs. `broker` names another broker than KAFKA_BROKERS' (kafka-broker.mjs): its addresses,
 * whether its process has died, and its log. By default, the broker this project starts.
 */
export async function waitForKafka(timeoutMs = 60_000, broker = ourBroker()) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const client = kafkaClient({ brokers: broker.brokers, connectionTimeout: 1000, requestTimeout: 5000, retry: { retries: 0 } });
    const admin = client.admin();
    // kafkajs refuses an idempotent producer without retries; one quick retry is enough here.
    const retry = { retries: 1, initialRetryTime: 100 };
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1, retry });
    try {
      await admin.connect();
      await admin.describeCluster();
      // Ready also means the coordinators answer (this creates/loads __consumer_offsets and
      // __transaction_state), so the services' first consumer group and idempotent producer
      // after a (re)start do not log "coordinator not available / loading".
      await admin.fetchOffsets({ groupId: 'infra-ready-check' });
      await producer.connect(); // an idempotent producer asks for its producer id here
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    }
    // Fail fast when the broker we started has already died (bad config, port taken, ...).
    if (broker.hasExited()) {
      throw new Error(`Kafka exited during start-up; see ${broker.logFile}\n${logErrors(broker.logFile)}`);
    }
    await sleep(250);
  }
  throw new Error(
    `Kafka at ${broker.brokers.join(',')} was not ready within ${timeoutMs / 1000}s ` +
      `(${lastError?.message ?? 'no answer'}); see ${broker.logFile}`,
  );
}

/** The broker of KAFKA_BROKERS; when this project started it, a death during start-up is noticed. */
function ourBroker() {
  const pid = readPid(KAFKA_PID);
  return {
    brokers,
    logFile: KAFKA_LOG,
    hasExited: () => {
      if (!pid || isProcessRunning(pid, 'kafka.Kafka')) return false;
      fs.rmSync(KAFKA_PID, { force: true });
      writeState({ kafka: null });
      return true;
    },
  };
}

// Two scripts starting at once (e.g. `npm start` and `npm test`) must not launch two brokers.
async function withStartLock(fn) {
  const lock = path.join(KAFKA_DIR, 'start.lock');
  fs.mkdirSync(KAFKA_DIR, { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock left by a script that died is stale.
      if (!isProcessRunning(readPid(lock), '')) fs.rmSync(lock, { force: true });
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Makes sure Kafka answers; starts our own broker when nothing does. Returns { started }. */
export function startKafka({ log = console.log, timeoutMs = 90_000 } = {}) {
  return withStartLock(() => startKafkaLocked(log, timeoutMs));
}

async function startKafkaLocked(log, timeoutMs) {
  const where = `${kafka.host}:${kafka.port}`;
  const ours = ourKafkaPid();
  if (await isPortOpen(kafka.host, kafka.port)) {
    log(`Kafka      reused   ${where}${ours ? ` (ours, pid ${ours})` : ''}`);
    return { started: false };
  }
  if (ours) {
    // Our broker runs but does not listen (yet), e.g. a start that was interrupted: wait for it.
    log(`Kafka      waiting for pid ${ours} on ${where} ...`);
    await waitForKafka(timeoutMs);
    return { started: false };
  }
  if (!isLocal(kafka.host)) throw new Error(`Kafka at ${where} is not reachable`);

  await fetchKafka(log);
  writeServerProperties();
  await formatKafkaStorage(log);

  // Keep the log from growing forever across many restarts.
  if (fs.existsSync(KAFKA_LOG) && fs.statSync(KAFKA_LOG).size > 20 * 1024 * 1024) fs.rmSync(KAFKA_LOG);
  const logFd = fs.openSync(KAFKA_LOG, 'a');
  fs.writeSync(logFd, `\n===== infra.mjs started Kafka ${kafkaVersion()} at ${new Date().toISOString()} =====\n`);
  // detached: own process group, so it outlives this script and can be stopped as a group.
  const child = spawn(java(), [...JVM_OPTS, '-cp', path.join(KAFKA_LIBS, '*'), 'kafka.Kafka', KAFKA_PROPS], {
    cwd: KAFKA_DIR,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  child.unref();
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) => reject(new Error(`cannot start java: ${err.message}`)));
  });
  fs.writeFileSync(KAFKA_PID, `${child.pid}\n`);
  writeState({ kafka: { pid: child.pid, version: kafkaVersion(), startedAt: new Date().toISOString() } });
  log(`Kafka      starting ${kafkaVersion()} on ${where} (pid ${child.pid}, log .cache/kafka/kafka.log) ...`);
  await waitForKafka(timeoutMs);
  log(`Kafka      started  ${where}`);
  return { started: true };
}

/** Stops the broker this project started: SIGTERM to its group, SIGKILL after timeoutMs. Returns whether it did. */
export async function stopKafka({ log = console.log, timeoutMs = 30_000 } = {}) {
  const pid = ourKafkaPid();
  if (!pid) {
    log('Kafka      not started by this project, left alone');
    fs.rmSync(KAFKA_PID, { force: true });
    writeState({ kafka: null });
    return false;
  }
  log(`Kafka      stopping pid ${pid} ...`);
  const signal = (sig) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid, 'kafka.Kafka') && Date.now() < deadline) await sleep(200);
  if (isProcessRunning(pid, 'kafka.Kafka')) {
    log(`Kafka      did not stop within ${timeoutMs / 1000}s, killing it`);
    signal('SIGKILL');
    while (isProcessRunning(pid, 'kafka.Kafka')) await sleep(100);
  }
  fs.rmSync(KAFKA_PID, { force: true });
  writeState({ kafka: null });
  log('Kafka      stopped');
  return true;
}

export async function ensureTopics(topics, log, clientOptions = {}) {
  const admin = kafkaClient(clientOptions).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
      });
    }
    log(`topics     ${missing.length ? `created ${missing.join(', ')}` : 'all present'} (${topics.join(', ')})`);
    return missing;
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------- public entry points

/** kafkajs 2.2.4 calls setTimeout with a negative delay, which Node >= 24 reports; it is harmless. */
export function silenceKafkajsTimeoutWarning() {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) =>
    (rest[0]?.type ?? rest[0]) === 'TimeoutNegativeWarning' ? undefined : emitWarning.call(process, warning, ...rest);
}

/**
 * Reuses what runs, starts what does not, then creates missing databases and topics.
 * Returns { started, reused, databasesCreated, topicsCreated }.
 */
export async function ensureInfrastructure({ databases = DEFAULT_DATABASES, log = console.log } = {}) {
  const started = [];
  const reused = [];
  const note = (name, wasStarted) => (wasStarted ? started : reused).push(name);
  // PostgreSQL and Redis are independent; check/start them together.
  const [pgStarted, redisStarted] = await Promise.all([ensureService('postgres', log), ensureService('redis', log)]);
  note('postgres', pgStarted);
  note('redis', redisStarted);
  note('kafka', (await startKafka({ log })).started);
  const [databasesCreated, topicsCreated] = await Promise.all([
    ensureDatabases(databases, log),
    ensureTopics(TOPICS, log),
  ]);
  return { started, reused, databasesCreated, topicsCreated };
}

/**
 * Stops only what the state file says this project started, optionally narrowed to `only`
 * (e.g. the `started` list ensureInfrastructure returned). Returns the names stopped.
 */
export async function stopInfrastructure({ only, log = console.log } = {}) {
  const wanted = (name) => !only || only.includes(name);
  const stopped = [];
  if (wanted('kafka') && (await stopKafka({ log }))) stopped.push('kafka');
  for (const name of ['redis', 'postgres'].filter(wanted)) {
    const svc = SERVICES[name];
    if (!readState()[name]) {
      log(`${svc.label.padEnd(10)} not started by this project, left alone`);
      continue;
    }
    log(`${svc.label.padEnd(10)} stopping ...`);
    await svc.stop();
    writeState({ [name]: false });
    stopped.push(name);
    log(`${svc.label.padEnd(10)} stopped`);
  }
  return stopped;
}
