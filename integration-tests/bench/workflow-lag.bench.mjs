// End-to-end lag of the workflows: from the moment an appointment's completion is answered to
// (a) billing showing its invoice and (b) analytics counting it as COMPLETED. Both travel through
// Kafka (appointment outbox → topic → billing consumer → invoice; → analytics consumer).
//
//   npm run bench:workflow-lag -- [--count 1000] [--gateway http://127.0.0.1:4004]
//     [--appointment http://127.0.0.1:4006] [--billing http://127.0.0.1:4001] [--analytics http://127.0.0.1:4002]
//
// Runs against a started system (npm start, demo data loaded). It logs in through the gateway once,
// then calls the services directly (the gateway's per-user rate limit would otherwise pace it).
import { parseArgs } from 'node:util';

const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    gateway: { type: 'string', default: 'http://127.0.0.1:4004' },
    appointment: { type: 'string', default: 'http://127.0.0.1:4006' },
    billing: { type: 'string', default: 'http://127.0.0.1:4001' },
    analytics: { type: 'string', default: 'http://127.0.0.1:4002' },
  },
});
const count = Number(options.count);
const POLL_MS = 5;

async function json(method, url, token, body) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function login(email) {
  const response = await fetch(`${options.gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'password123' }),
  });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status}`);
  return (await response.json()).token;
}

async function until(probe) {
  for (;;) {
    if (await probe()) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let admin = await login('testuser@test.com');
const doctor = await login('doctor@test.com');
const doctorId = (await (await fetch(`${options.gateway}/auth/me`, { headers: { authorization: `Bearer ${doctor}` } })).json()).id;
const patients = (await json('GET', `${options.gateway}/api/patients?size=100`, admin)).body.patients.map((p) => p.id);

// Consecutive 30-minute slots far enough ahead that nothing else books them.
const base = new Date(Date.now() + (400 + Math.floor(Math.random() * 3000)) * 86_400_000);
base.setUTCHours(0, 0, 0, 0);
const toInvoice = [];
const toAnalytics = [];
let refreshed = Date.now();

for (let i = 0; i < count; i++) {
  // Access tokens live 15 minutes; a long run logs in again.
  if (Date.now() - refreshed > 10 * 60_000) {
    admin = await login('testuser@test.com');
    refreshed = Date.now();
  }
  const start = new Date(base.getTime() + i * 30 * 60_000);
  const day = start.toISOString().slice(0, 10);
  const patientId = patients[i % patients.length];
  const completedBefore = async () => {
    const summary = await json('GET', `${options.analytics}/analytics/appointments/summary?from=${day}&to=${day}`, admin);
    return summary.body.byDoctor.find((d) => d.doctorId === doctorId)?.byStatus.COMPLETED ?? 0;
  };
  const before = await completedBefore();
  const booked = await json('POST', `${options.appointment}/appointments`, admin, {
    patientId,
    doctorId,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
    reason: 'Lag bench',
  });
  if (booked.status !== 201) throw new Error(`booking ${i}: ${booked.status} ${JSON.stringify(booked.body)}`);
  await json('POST', `${options.appointment}/appointments/${booked.body.id}/check-in`, admin);
  const completed = await json('POST', `${options.appointment}/appointments/${booked.body.id}/complete`, admin);
  if (completed.status !== 200) throw new Error(`completing ${i}: ${completed.status}`);
  const t0 = performance.now();
  const [invoiced, counted] = await Promise.all([
    until(async () => {
      const invoices = await json('GET', `${options.billing}/billing/invoices?patientId=${patientId}`, admin);
      return invoices.body.invoices.some((invoice) => invoice.appointmentId === booked.body.id);
    }),
    until(async () => (await completedBefore()) > before),
  ]);
  toInvoice.push(invoiced - t0);
  toAnalytics.push(counted - t0);
  if ((i + 1) % 100 === 0) process.stdout.write(`${i + 1} appointments\n`);
}

for (const [name, samples] of [['completion → invoice', toInvoice], ['completion → analytics', toAnalytics]]) {
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(`${name}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms (n=${sorted.length}, polling every ${POLL_MS} ms)`);
}
