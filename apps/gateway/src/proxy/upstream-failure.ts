import type { UpstreamService } from '../routes/upstream-services';

export interface UpstreamFailure {
  status: 502 | 503 | 504;
  detail: string;
}

// The service is not there (down, restarting, not resolvable): try again later.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

/** How a failed proxied request is answered. Never a stack trace or an upstream host name. */
export function upstreamFailure(service: UpstreamService, error: Error, timedOutAfterMs?: number): UpstreamFailure {
  if (timedOutAfterMs !== undefined) {
    return { status: 504, detail: `The ${service} service did not answer within ${timedOutAfterMs} ms` };
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE_CODES.has(code)) return { status: 503, detail: `The ${service} service is unavailable` };
  return { status: 502, detail: `The ${service} service gave an invalid response` };
}
