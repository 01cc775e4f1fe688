import { Inject, Injectable } from '@nestjs/common';
import { UPSTREAM_URLS, type UpstreamService, type UpstreamUrls } from '../routes/upstream-services';

export interface ReadinessAnswer {
  httpStatus: number;
  /** The service's readiness body (terminus: `{status, info, error, details}`), if it was JSON. */
  body: unknown;
}

/** Asks a service's `/health/ready`. Throws when it cannot be reached or stays silent. */
@Injectable()
export class UpstreamHealthClient {
  constructor(@Inject(UPSTREAM_URLS) private readonly urls: UpstreamUrls) {}

  async readiness(service: UpstreamService, timeoutMs: number): Promise<ReadinessAnswer> {
    const response = await fetch(`${this.urls[service]}/health/ready`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return { httpStatus: response.status, body };
  }
}
