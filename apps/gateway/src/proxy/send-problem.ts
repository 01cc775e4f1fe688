import { PROBLEM_CONTENT_TYPE, problem } from '@pm/platform';
import type { Response } from 'express';

/** Answers a problem+json from Express middleware, where Nest's exception filter does not reach. */
export function sendProblem(res: Response, status: number, detail: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(status, detail)));
}
