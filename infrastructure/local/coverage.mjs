// Coverage of the unit and integration tests (one Jest run, in-process): the thresholds CI
// enforces, and the table per app and lib that `npm test` and `npm run test:coverage` print.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './infra.mjs';

// The one place the thresholds live (percent, over apps and libs together). Issue 11 asked for at
// least 90 lines / 80 branches. Measured on 3 Dec 2026 in a fresh-clone CI run, once SWC's helpers
// and its decorator-metadata fallbacks stopped being counted as our branches
// (infrastructure/local/swc-jest-transformer.cjs): 96.6 / 90.5 / 94.9. The floors sit just under
// those figures (timing-dependent paths such as retries move them a little between runs); raise
// them as tests are added.
export const COVERAGE_THRESHOLDS = { lines: 96, branches: 89, functions: 94 };

/** Jest's default directory; what is collected and how is in package.json's `jest`. */
export const COVERAGE_DIR = path.join(ROOT, 'coverage');

const METRICS = ['lines', 'branches', 'functions'];

/** Where a file is counted: its app or lib, or one of the groups reported apart from the total. */
function groupOf(file) {
  const parts = path.relative(ROOT, file).split(path.sep);
  if (parts[0] === 'infrastructure') return { name: 'infrastructure', apart: true };
  if (parts.includes('migrations')) return { name: 'migrations', apart: true };
  if (parts.includes('bench')) return { name: 'benchmarks', apart: true };
  if (parts[0] === 'apps' || parts[0] === 'libs') return { name: `${parts[0]}/${parts[1]}`, apart: false };
  return { name: parts[0], apart: true };
}

function add(into, summary) {
  for (const metric of METRICS) {
    into[metric].total += summary[metric].total;
    into[metric].covered += summary[metric].covered;
  }
}

const empty = () => Object.fromEntries(METRICS.map((metric) => [metric, { total: 0, covered: 0 }]));
// An empty group (a file with no branch) is fully covered, as Istanbul counts it.
const percent = ({ total, covered }) => (total === 0 ? 100 : (100 * covered) / total);

/** Reads Jest's json-summary and sums it per app, per lib, and over apps and libs together. */
export function summariseCoverage(summaryFile = path.join(COVERAGE_DIR, 'coverage-summary.json')) {
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const groups = new Map();
  const total = empty();
  for (const [file, fileSummary] of Object.entries(summary)) {
    if (file === 'total') continue;
    const { name, apart } = groupOf(file);
    if (!groups.has(name)) groups.set(name, { name, apart, files: 0, ...empty() });
    const group = groups.get(name);
    group.files += 1;
    add(group, fileSummary);
    if (!apart) add(total, fileSummary);
  }
  const sorted = [...groups.values()].sort((a, b) => Number(a.apart) - Number(b.apart) || a.name.localeCompare(b.name));
  return { groups: sorted, total };
}

function row(name, counts) {
  const cells = METRICS.map((metric) => `${percent(counts[metric]).toFixed(1).padStart(5)} % ${`(${counts[metric].covered}/${counts[metric].total})`.padEnd(13)}`);
  return `${name.padEnd(22)} ${cells.join('  ')}`;
}

/** Prints the table and says whether the total meets the thresholds. */
export function reportCoverage({ groups, total }, { thresholds = COVERAGE_THRESHOLDS, log = console.log } = {}) {
  log(`${''.padEnd(22)} ${METRICS.map((metric) => metric.padEnd(21)).join('  ')}`);
  for (const group of groups.filter((g) => !g.apart)) log(row(group.name, group));
  log(row('TOTAL (apps + libs)', total));
  log('Reported apart, not in the total:');
  for (const group of groups.filter((g) => g.apart)) log(row(`  ${group.name}`, group));
  const below = METRICS.filter((metric) => thresholds[metric] !== undefined && percent(total[metric]) < thresholds[metric]);
  for (const metric of below) {
    log(`Coverage of ${metric} is ${percent(total[metric]).toFixed(1)} %, below the threshold of ${thresholds[metric]} % (infrastructure/local/coverage.mjs)`);
  }
  if (below.length === 0) log(`Coverage meets the thresholds (${METRICS.map((m) => `${m} ${thresholds[m]} %`).join(', ')}).`);
  return below.length === 0;
}
