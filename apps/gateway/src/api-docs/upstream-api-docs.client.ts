import { Inject, Injectable } from '@nestjs/common';
import { UPSTREAM_URLS, type UpstreamService, type UpstreamUrls } from '../routes/upstream-services';

export class ApiDocumentUnavailableError extends Error {}

/** Fetches the OpenAPI document a service serves at its own `/api-docs`. */
@Injectable()
export class UpstreamApiDocsClient {
  constructor(@Inject(UPSTREAM_URLS) private readonly urls: UpstreamUrls) {}

  async fetchDocument(service: UpstreamService, timeoutMs: number): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${this.urls[service]}/api-docs`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ApiDocumentUnavailableError(`${service} did not answer: ${(error as Error).message}`);
    }
    const document: unknown = await response.json().catch(() => undefined);
    if (!response.ok || !document || typeof document !== 'object' || Array.isArray(document)) {
      throw new ApiDocumentUnavailableError(`${service} answered ${response.status} without an OpenAPI document`);
    }
    return document as Record<string, unknown>;
  }
}
