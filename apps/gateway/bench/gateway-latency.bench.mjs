// The gateway's added latency for a verified request: GET /api/patients/{id} through the gateway
// (token check, revocation check, rate limit, role check, proxy) against the same request straight
// at the patient service, alternating one and the other, sequentially, after a warm-up.
//
//   node apps/gateway/bench/gateway-latency.bench.mjs [--gateway http://127.0.0.1:4004]
//     [--service http://127.0.0.1:4000] [--requests 500] [--warmup 50]
//     [--email testuser@test.com] [--password password123] [--patient <id>]
//
// Runs against a started system (npm start). The gateway counts every request against the user:
// give it RATE_LIMIT_AUTHENTICATED_POINTS above requests + warm-up, or it stops at the first 429.
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    gateway: { type: 'string', default: 'http://127.0.0.1:4004' },
    service: { type: 'string', default: 'http://127.0.0.1:4000' },
    requests: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    email: { type: 'string', default: 'testuser@test.com' },
    password: { type: 'string', default: 'password123' },
    patient: { type: 'string', default: '123e4567-e89b-12d3-a456-426614174000' },
  },
});
const requests = Number(options.requests);
const warmup = Number(options.warmup);

async function login() {
  const response = await fetch(`${options.gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: options.email, password: options.password }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  return (await response.json()).token;
}

async function timed(url, token) {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) {
    const hint = response.status === 429 ? ' (raise RATE_LIMIT_AUTHENTICATED_POINTS for the benchmark)' : '';
    throw new Error(`${url} answered ${response.status}${hint}`);
  }
  return elapsed;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((s, v) => s + v, 0) / samples.length };
}

const token = await login();
const viaGateway = `${options.gateway}/api/patients/${options.patient}`;
const direct = `${options.service}/patients/${options.patient}`;
for (let i = 0; i < warmup; i += 1) {
  await timed(viaGateway, token);
  await timed(direct, token);
}
const gatewaySamples = [];
const directSamples = [];
for (let i = 0; i < requests; i += 1) {
  // Alternating keeps both series under the same load and cache conditions.
  gatewaySamples.push(await timed(viaGateway, token));
  directSamples.push(await timed(direct, token));
}
const g = summary(gatewaySamples);
const d = summary(directSamples);
const ms = (value) => `${value.toFixed(2)} ms`;
console.log(`${requests} sequential requests each, after ${warmup} warm-up pairs`);
console.log(`  through the gateway   median ${ms(g.median)}   p99 ${ms(g.p99)}   mean ${ms(g.mean)}`);
console.log(`  straight at service   median ${ms(d.median)}   p99 ${ms(d.p99)}   mean ${ms(d.mean)}`);
console.log(`  added by the gateway  median ${ms(g.median - d.median)}   p99 ${ms(g.p99 - d.p99)}`);
