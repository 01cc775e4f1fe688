// `npm test`: starts the infrastructure when it is not up, builds, then runs the unit and
// integration tests (real PostgreSQL, Redis, Kafka, gRPC) with coverage, fails below the coverage
// thresholds, and afterwards runs the end-to-end suite, which starts a whole second copy of the
// system. `--coverage-only` (npm run test:coverage) stops after the unit and integration tests.
// Extra arguments go to Jest; with them the coverage table is printed but not enforced (a partial
// run covers less).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { COVERAGE_DIR, reportCoverage, summariseCoverage } from './coverage.mjs';
import { ROOT, ensureInfrastructure, silenceKafkajsTimeoutWarning, stopInfrastructure } from './infra.mjs';

silenceKafkajsTimeoutWarning();

const started = Date.now();
const coverageOnly = process.argv.includes('--coverage-only');
const jestArgs = process.argv.slice(2).filter((arg) => arg !== '--coverage-only');
const indent = (line) => console.log(`  ${line}`);

function run(label, args) {
  console.log(`\n=== ${label}`);
  const report = path.join(ROOT, '.cache', `jest-${label}.json`);
  rmSync(report, { force: true });
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args, '--json', `--outputFile=${report}`, ...jestArgs],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } },
  );
  let summary;
  try {
    summary = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    console.log(`\n${label}: Jest wrote no report (status ${result.status}, signal ${result.signal})`);
    return { passed: 0, failed: 1, skipped: 0, status: result.status ?? 1 };
  }
  const { numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites, numFailedTestSuites, success, snapshot } = summary;
  if (result.status !== 0) {
    // Say why a run without failed tests still failed (a suite's hooks, snapshots, a crash on exit).
    const failedSuites = summary.testResults.filter((suite) => suite.status !== 'passed').map((suite) => `${path.relative(ROOT, suite.name)}: ${(suite.message || '').slice(0, 2000)}`);
    console.log(`\n${label}: Jest exited with status ${result.status}${result.signal ? ` (signal ${result.signal})` : ''}; success=${success}, failed suites=${numFailedTestSuites}, snapshot failure=${snapshot?.failure}`);
    for (const line of failedSuites) console.log(`  ${line}`);
  }
  return { passed: numPassedTests, failed: numFailedTests + numRuntimeErrorTestSuites, skipped: numPendingTests, status: result.status };
}

const results = [];
console.log('Infrastructure:');
const infrastructure = await ensureInfrastructure({ log: indent });

/** The unit and integration tests in one Jest run with coverage, then its table per app and lib. */
function unitAndIntegration() {
  rmSync(COVERAGE_DIR, { recursive: true, force: true }); // never report a previous run's figures
  // --forceExit: on two cores Jest runs the suites in its own process (one worker); a client a
  // suite left open (a Kafka or Redis retry timer) kept Jest alive after the report and then
  // ended it with status 1 although every test had passed. The report decides, not a late timer.
  results.push(run('unit-and-integration', ['--selectProjects', 'unit', 'integration', '--coverage', '--forceExit']));
  results.push(coverage());
}

/** Prints coverage per app and lib; a status of 1 when a whole run falls below the thresholds. */
function coverage() {
  console.log('\n=== coverage (unit and integration)');
  let summary;
  try {
    summary = summariseCoverage();
  } catch (error) {
    console.log(`Jest wrote no coverage summary: ${error.message}`);
    return { passed: 0, failed: 0, skipped: 0, status: 1 };
  }
  const met = reportCoverage(summary);
  if (jestArgs.length > 0) console.log('(a run with extra Jest arguments: thresholds not enforced)');
  return { passed: 0, failed: 0, skipped: 0, status: met || jestArgs.length > 0 ? 0 : 1 };
}

if (coverageOnly) {
  unitAndIntegration();
} else {
  console.log('\nBuilding...');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'infrastructure', 'local', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    results.push({ passed: 0, failed: 1, skipped: 0, status: 1 });
  } else {
    unitAndIntegration();
    // Alone afterwards: it counts events on shared topics, so nothing else may produce meanwhile.
    results.push(run('e2e', ['--selectProjects', 'e2e', '--runInBand', '--forceExit']));
  }
}

if (process.env.CI && infrastructure.started.length > 0) {
  await stopInfrastructure({ only: infrastructure.started, log: indent });
}

const total = results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
const failed = results.some((r) => r.status !== 0) || total.failed > 0;
console.log(`\nAll suites in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`Tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
