import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { Operation } from './openapi';
import type { Caller, FuzzRequest } from './request-arbitraries';
import { checkAnswer, type Violation } from './response-checks';
import { SLOW_MS, describeRequest, prepare, send, sentText, type Answered, type PreparedRequest } from './send-request';

export interface FuzzSettings {
  seed: number;
  /** Generated inputs per operation (twice that for one with a body); each goes through the gateway and straight at the service. */
  runs: number;
  /** Replays one run (`FUZZ_REPLAY`, the run index a report names) instead of generating `runs`. */
  replayPath?: string;
}

export interface Failure {
  operation: string;
  target: string;
  method: string;
  path: string;
  caller: Caller;
  inputClass: string;
  status: number;
  violations: Violation[];
  request: string;
  /** The start of the answer's body. */
  answer: string;
  replay: string;
}

export interface FuzzStats {
  requests: number;
  reruns: number;
  /** Distinct generated inputs (each is sent to the gateway and to the service). */
  inputs: Set<string>;
  failures: Failure[];
  /** Operations and how many answers got past authentication (neither 401, 403 nor 429). */
  reachedHandler: Map<string, number>;
  statuses: Map<number, number>;
}

export const newStats = (): FuzzStats => ({ requests: 0, reruns: 0, inputs: new Set(), failures: [], reachedHandler: new Map(), statuses: new Map() });

/** One seed per operation, so adding a route does not change the inputs of the others. */
export function operationSeed(seed: number, operationId: string): number {
  return createHash('sha256').update(`${seed}:${operationId}`).digest().readInt32BE(0);
}

export interface Target {
  name: string;
  baseUrl: string;
  path: string;
}

/**
 * Runs the property for one operation: every generated request is sent to each target; any
 * violation is recorded (not thrown) so one run lists every distinct failure, each with the
 * command that replays it.
 */
export async function fuzzOperation(
  operation: Operation,
  arbitrary: fc.Arbitrary<FuzzRequest>,
  /** Known-nasty requests tried before the generated ones. */
  examples: FuzzRequest[],
  targets: Target[],
  tokens: Partial<Record<Caller, string>>,
  baseHeaders: Record<string, string>,
  settings: FuzzSettings,
  stats: FuzzStats,
): Promise<void> {
  const seed = operationSeed(settings.seed, operation.id);
  let run = settings.replayPath ? Number(settings.replayPath.split(':')[0]) : 0;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => {
      const index = run++;
      // One input, whichever target it goes to: the operation, caller and the request as sent to the service.
      const asSent = prepare(request, operation.method, operation.path, '', request.caller, operation.stream);
      stats.inputs.add(createHash('sha1').update(`${operation.id}\n${describeRequest(asSent)}`).digest('base64'));
      for (const target of targets) {
        const prepared = prepare({ ...request, headers: { ...baseHeaders, ...request.headers } }, operation.method, target.path, target.baseUrl, tokens[request.caller], operation.stream);
        const answer = await answerOf(prepared, stats);
        stats.statuses.set(answer.status, (stats.statuses.get(answer.status) ?? 0) + 1);
        if (![401, 403, 429].includes(answer.status)) stats.reachedHandler.set(operation.id, (stats.reachedHandler.get(operation.id) ?? 0) + 1);
        const violations = violationsOf(prepared, answer);
        if (violations.length) {
          stats.failures.push({
            operation: operation.id,
            target: target.name,
            method: operation.method,
            path: target.path,
            caller: request.caller,
            inputClass: request.inputClass,
            status: answer.status,
            violations,
            request: describeRequest(prepared),
            answer: answer.text.slice(0, 300),
            replay: `FUZZ_SEED=${settings.seed} FUZZ_ONLY='${operation.id}' FUZZ_REPLAY=${index} npm run test:fuzz`,
          });
        }
      }
      return true;
    }),
    // Routes that take a body get twice the runs: the body has the most places to break.
    {
      seed,
      examples: examples.map((example) => [example]),
      numRuns: settings.replayPath ? 1 : examples.length + settings.runs * (operation.body ? 2 : 1),
      path: settings.replayPath,
      endOnFailure: true,
    },
  );
}

/** The answer, sent once more when it was slow: only a slowness that repeats is held against it. */
export async function answerOf(prepared: PreparedRequest, stats: FuzzStats, slowMs = SLOW_MS): Promise<Answered & { slowTwice: boolean }> {
  stats.requests++;
  const first = await send(prepared);
  if (prepared.stream || first.ms <= slowMs) return { ...first, slowTwice: false };
  stats.requests++;
  stats.reruns++;
  const second = await send(prepared);
  return { ...second, slowTwice: second.ms > slowMs };
}

export function violationsOf(prepared: PreparedRequest, answer: Answered & { slowTwice: boolean }): Violation[] {
  const violations: Violation[] = [];
  if (answer.slowTwice) violations.push({ kind: 'slow', detail: `${Math.round(answer.ms)} ms, on the rerun too` });
  if (answer.status === -1) return [...violations, { kind: 'server-error', detail: answer.text }];
  if (answer.status === 0) return violations;
  // FHIR routes answer errors as OperationOutcomes (application/fhir+json), at the gateway and at the service.
  const errorFormat = prepared.path.toLowerCase().startsWith('/fhir/') ? 'fhir' : 'problem';
  return [...violations, ...checkAnswer({ status: answer.status, contentType: answer.contentType, text: answer.text }, prepared.bodyText, sentText(prepared), errorFormat)];
}

/** One line per distinct failure (target kind, method, route, input class, status, violation). */
export function distinctFailures(failures: Failure[]): Map<string, Failure[]> {
  const groups = new Map<string, Failure[]>();
  for (const failure of failures) {
    const where = failure.target === 'gateway' ? 'gateway' : 'service';
    const key = `${failure.method} ${failure.path} [${where}] input ${failure.inputClass} → ${failure.status} ${failure.violations.map((v) => v.kind).join('+')}`;
    groups.set(key, [...(groups.get(key) ?? []), failure]);
  }
  return groups;
}

export function formatReport(failures: Failure[]): string {
  const lines: string[] = [];
  for (const [key, group] of distinctFailures(failures)) {
    const example = group[0];
    lines.push(`✗ ${key} (${group.length}×)`);
    lines.push(`    ${example.violations.map((v) => `${v.kind}: ${v.detail}`).join('; ')}`);
    lines.push(`    role ${example.caller}; ${example.request}`);
    lines.push(`      answer: ${JSON.stringify(example.answer)}`);
    lines.push(`    replay: ${example.replay}`);
  }
  return lines.join('\n');
}
