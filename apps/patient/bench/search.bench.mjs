// Search latency over a seeded patient database, through the SQL the repository runs (one
// statement: page of 10 + total). Build first, seed a scratch database, then:
//   node infrastructure/local/build.mjs patient
//   createdb patient_bench_search && npm run seed:patients -- --count 1000000 --database patient_bench_search
//   DB_NAME=patient_bench_search node apps/patient/bench/search.bench.mjs [--rounds 30]
// Prints p50 and p99 per kind of search and overall; never prints patient rows.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const pg = require(join(root, 'node_modules', 'pg'));
const { searchParams, searchSql } = require(join(root, 'dist', 'apps', 'patient', 'src', 'patients', 'search', 'patient-search.js'));

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);

const SEARCHES = {
  typo: ['Jhon Smyth', 'Kathrin Jonson', 'Micheal Browne', 'Elizbeth Wiliams', 'Cristopher Andersen', 'Jenifer Garsia'],
  'sound-alike': ['Jon Do', 'Catherine', 'Stefen Thomson', 'Sara Reed', 'Brian Gray', 'Eric Meyer'],
  substring: ['john', 'smith', 'ann', 'son', 'Kathryn Lee', 'martin'],
  email: ['john.smith', '@example.org', 'mary.jones.', 'kathryn.lee', 'example', 'jones@'],
};

const client = new pg.Client({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD || undefined,
  database: process.env.DB_NAME ?? 'patient_bench_search',
});
await client.connect();
const [{ count }] = (await client.query('SELECT count(*) FROM patients WHERE deleted_at IS NULL')).rows;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted.at(-1).toFixed(1)} ms  (n=${sorted.length})`;
};

async function timed(term) {
  const sql = searchSql('id, name, email', 'lower(name)', 'ASC', term);
  const started = process.hrtime.bigint();
  const { rows } = await client.query(sql, searchParams(term, 10, 0));
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, total: Number(rows[0].total) };
}

console.log(`patients: ${count}, rounds: ${rounds}`);
const all = [];
for (const [kind, terms] of Object.entries(SEARCHES)) {
  const samples = [];
  const totals = [];
  const medians = [];
  for (const term of terms) {
    await timed(term); // warm the cache and the plan
    const termSamples = [];
    for (let i = 0; i < rounds; i++) {
      const { ms, total } = await timed(term);
      termSamples.push(ms);
      if (i === 0) totals.push(total);
    }
    samples.push(...termSamples);
    medians.push(`${JSON.stringify(term)} ${percentile([...termSamples].sort((a, b) => a - b), 50).toFixed(1)}`);
  }
  all.push(...samples);
  console.log(`${kind.padEnd(12)} ${summary(samples)}  matches per term: ${totals.join(', ')}`);
  console.log(`${''.padEnd(12)} median ms per term: ${medians.join(', ')}`);
}
console.log(`${'all'.padEnd(12)} ${summary(all)}`);
await client.end();
