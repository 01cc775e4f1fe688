/** FHIR's issue types used here (http://hl7.org/fhir/valueset-issue-type.html). */
export type OperationOutcomeIssueCode =
  | 'invalid'
  | 'required'
  | 'value'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'duplicate'
  | 'conflict'
  | 'throttled'
  | 'transient'
  | 'timeout'
  | 'exception';

export interface OperationOutcomeIssue {
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  readonly code: OperationOutcomeIssueCode;
  readonly diagnostics?: string;
  /** FHIRPath of the element at fault, e.g. `Patient.birthDate`. */
  readonly expression?: readonly string[];
  readonly details?: { readonly text: string };
}

export interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: readonly OperationOutcomeIssue[];
}

/** The issue type that best says what an HTTP error status means. */
export function issueCodeForStatus(status: number): OperationOutcomeIssueCode {
  if (status === 400 || status === 422) return 'invalid';
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 405 || status === 406 || status === 415) return 'not-supported';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  if (status === 504) return 'timeout';
  return 'exception';
}

/**
 * An OperationOutcome for an error answer: one issue per field at fault (when known), else one.
 * `details.text` carries the problem's machine-readable code (e.g. PATIENT_NOT_FOUND) so a client
 * can branch on it as on the REST routes.
 */
export function operationOutcome(
  status: number,
  diagnostics: string,
  { code, expressions = [] }: { code?: string; expressions?: readonly string[] } = {},
): OperationOutcome {
  const base = { severity: status >= 500 ? 'fatal' : 'error', code: issueCodeForStatus(status), diagnostics, ...(code ? { details: { text: code } } : {}) } as const;
  const issue = expressions.length > 0 ? expressions.map((expression) => ({ ...base, expression: [expression] })) : [base];
  return { resourceType: 'OperationOutcome', issue };
}
