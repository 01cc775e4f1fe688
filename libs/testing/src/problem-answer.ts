/** The body of a problem+json answer (RFC 9457) as the services write it. */
export interface ProblemBody {
  status: number;
  detail: string;
  errors?: Record<string, string>;
}

/** Expects `response` to be a problem+json answer with `status`, and returns its body. */
export async function expectProblem(response: Response, status: number): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as ProblemBody;
}
