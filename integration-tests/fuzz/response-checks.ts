/** What the fuzzer holds against an answer. */
export type ViolationKind = 'server-error' | 'slow' | 'not-problem-json' | 'echo' | 'stack-trace' | 'sql' | 'infrastructure-host';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

export interface ObservedAnswer {
  status: number;
  contentType: string;
  /** The body as text (empty for a stream read only for its head, or a HEAD). */
  text: string;
}

/** The shortest run of the request's own text an answer may repeat before it counts as an echo. */
export const ECHO_MIN_LENGTH = 20;
/**
 * The same for a body that is not a JSON object or array: a parser's error quotes its first ten
 * characters (V8: `Unexpected token 'J', "Jane Doe, "... is not valid JSON`).
 */
export const RAW_ECHO_MIN_LENGTH = 10;
/** Only this much of a huge request is searched for echoes (an echo starts near the start anyway). */
const ECHO_SCAN_LIMIT = 256 * 1024;

/**
 * The first run of `ECHO_MIN_LENGTH` characters of `sent` that the answer repeats, as sent or as
 * the decoded strings of a JSON answer (a message that quotes the body appears escaped in JSON).
 */
export function echoedFragment(sent: string, answer: string, minLength = ECHO_MIN_LENGTH): string | undefined {
  if (sent.length < minLength || answer.length < minLength) return undefined;
  const haystacks = [answer, ...decodedStrings(answer)];
  const windows = new Set<string>();
  for (const haystack of haystacks) {
    for (let i = 0; i + minLength <= Math.min(haystack.length, 65_536); i++) windows.add(haystack.slice(i, i + minLength));
  }
  const end = Math.min(sent.length, ECHO_SCAN_LIMIT) - minLength;
  for (let i = 0; i <= end; i++) {
    const fragment = sent.slice(i, i + minLength);
    if (windows.has(fragment)) return fragment;
  }
  return undefined;
}

/**
 * What of a request body counts when looking for echoes, and how long a repeat must be: the
 * values of a JSON object or array (an error that names a field repeats its key, as it must), the
 * whole text of anything else.
 */
export function echoSource(bodyText: string): { text: string; minLength: number } {
  const raw = { text: bodyText, minLength: RAW_ECHO_MIN_LENGTH };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return raw;
  }
  if (!parsed || typeof parsed !== 'object') return raw;
  const values: string[] = [];
  // Iteratively: a body thousands of levels deep would overflow a recursive walk.
  const pending: unknown[] = [parsed];
  while (pending.length) {
    const value = pending.pop();
    if (value && typeof value === 'object') pending.push(...Object.values(value).reverse());
    else values.push(String(value));
  }
  // A separator no answer contains, so two short values never join into one long match.
  return { text: values.join('\u0000\u0001'), minLength: ECHO_MIN_LENGTH };
}

function decodedStrings(answer: string): string[] {
  const strings: string[] = [];
  const pending: unknown[] = [];
  try {
    pending.push(JSON.parse(answer));
  } catch {
    return strings;
  }
  while (pending.length) {
    const value = pending.pop();
    if (typeof value === 'string') strings.push(value);
    else if (value && typeof value === 'object') pending.push(...Object.values(value));
  }
  return strings;
}

const STACK_TRACE = [/\n\s*at \S.*\(.*:\d+:\d+\)/, /\bat (?:async )?[\w$.<>[\]]+ \([^)]*:\d+:\d+\)/, /\bat \/[^\s:]+:\d+:\d+/, /[\w/.-]+\.(?:ts|js|mjs|cjs):\d+/, /node_modules\//, /\bdist\/apps\//];
const SQL = [/\bSELECT\s/, /\bINSERT\s+INTO\b/, /\bUPDATE\s+"?\w+"?\s+SET\b/, /\bDELETE\s+FROM\b/, /relation "/, /syntax error at/, /duplicate key/i, /violates (?:unique|foreign key|not-null|check) constraint/, /invalid input syntax for/, /invalid byte sequence for encoding/, /QueryFailedError/, /unterminated quoted/];
const HOSTS = [
  /\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/,
  /\blocalhost\b/i,
  /\b0\.0\.0\.0\b/,
  /\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/,
  /\b192\.168\.\d{1,3}\.\d{1,3}\b/,
  /\b172\.(?:1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}\b/,
  /\[?::1\]?:\d+/,
  /\b[\w-]+(?:\.[\w-]+)*\.(?:internal|local|localdomain|svc|cluster\.local)\b/,
  /\bip-\d+-\d+-\d+-\d+\b/,
  /\bECONNREFUSED\b|\bENOTFOUND\b|\bEAI_AGAIN\b/,
  /:(?:5432|6379|9092|29092)\b/,
];

/** The first pattern found in the answer that the request did not bring itself. */
function firstMatch(patterns: RegExp[], answer: string, sent: string): string | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(answer);
    if (match && !sent.includes(match[0])) return match[0];
  }
  return undefined;
}

export const findStackTrace = (answer: string, sent = ''): string | undefined => firstMatch(STACK_TRACE, answer, sent);
export const findSql = (answer: string, sent = ''): string | undefined => firstMatch(SQL, answer, sent);
export const findInfrastructureHost = (answer: string, sent = ''): string | undefined => firstMatch(HOSTS, answer, sent);

/** Whether an error answer is an RFC 9457 problem: the media type and `type`, `title`, `status`. */
export function problemFormatError(answer: ObservedAnswer): string | undefined {
  if (!/^application\/problem\+json\b/i.test(answer.contentType)) return `content type is ${JSON.stringify(answer.contentType || '(none)')}, not application/problem+json`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'body is not JSON';
  }
  if (!body || typeof body !== 'object') return 'body is not a JSON object';
  const missing = ['type', 'title'].filter((key) => typeof body[key] !== 'string');
  if (typeof body.status !== 'number') missing.push('status');
  if (missing.length) return `missing ${missing.join(', ')}`;
  if (body.status !== answer.status) return `status ${body.status} in the body, ${answer.status} on the wire`;
  return undefined;
}

/** Whether an error answer of a FHIR route is an OperationOutcome in application/fhir+json, each issue with a severity and a code. */
export function operationOutcomeFormatError(answer: ObservedAnswer): string | undefined {
  if (!/^application\/fhir\+json\b/i.test(answer.contentType)) return `content type is ${JSON.stringify(answer.contentType || '(none)')}, not application/fhir+json`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'body is not JSON';
  }
  if (body?.resourceType !== 'OperationOutcome') return 'body is not an OperationOutcome';
  const issues: unknown[] = Array.isArray(body.issue) ? body.issue : [];
  if (!issues.length || !issues.every((issue: any) => typeof issue?.severity === 'string' && typeof issue?.code === 'string')) {
    return 'issue is missing, or an issue lacks severity or code';
  }
  return undefined;
}

/** The format error answers must have: problem+json, or an OperationOutcome on the FHIR routes. */
export type ErrorFormat = 'problem' | 'fhir';

/**
 * Everything wrong with one answer, apart from its latency. `sent` is all the request carried
 * (path, query, headers and body as text): what the request brought itself is no leak.
 */
export function checkAnswer(answer: ObservedAnswer, sentBody: string, sent: string, errorFormat: ErrorFormat = 'problem'): Violation[] {
  const violations: Violation[] = [];
  if (answer.status >= 500) violations.push({ kind: 'server-error', detail: `${answer.status}` });
  // Rate limiting is expected under fuzzing; its body is the limiter's, checked by its own tests.
  if (answer.status < 400 || answer.status === 429) return violations;
  if (answer.status < 500) {
    const format = errorFormat === 'fhir' ? operationOutcomeFormatError(answer) : problemFormatError(answer);
    if (format) violations.push({ kind: 'not-problem-json', detail: format });
  }
  const source = echoSource(sentBody);
  const echo = echoedFragment(source.text, answer.text, source.minLength);
  if (echo) violations.push({ kind: 'echo', detail: `repeats ${JSON.stringify(echo)}` });
  const stack = findStackTrace(answer.text, sent);
  if (stack) violations.push({ kind: 'stack-trace', detail: JSON.stringify(stack) });
  const sql = findSql(answer.text, sent);
  if (sql) violations.push({ kind: 'sql', detail: JSON.stringify(sql) });
  const host = findInfrastructureHost(answer.text, sent);
  if (host) violations.push({ kind: 'infrastructure-host', detail: JSON.stringify(host) });
  return violations;
}
