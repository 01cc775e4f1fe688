import { Inject, Injectable } from '@nestjs/common';
import { FHIR_BASE } from '@pm/fhir';
import { APP_CONFIG, ProblemException } from '@pm/platform';
import type { GatewayConfig } from '../config/gateway.config';
import type { UpstreamService } from '../routes/upstream-services';
import { ApiDocumentUnavailableError, UpstreamApiDocsClient } from './upstream-api-docs.client';

/**
 * The documents published through the gateway (contract: `/api-docs/{name}`), with the path prefix
 * under which the gateway serves that service's routes.
 */
export const PUBLISHED_API_DOCS: Readonly<Record<string, { service: UpstreamService; serverUrl: string }>> = {
  auth: { service: 'auth', serverUrl: '/auth' },
  patients: { service: 'patient', serverUrl: '/api' },
  billing: { service: 'billing', serverUrl: '/api' },
  analytics: { service: 'analytics', serverUrl: '/api' },
  appointments: { service: 'appointment', serverUrl: '/api' },
};

@Injectable()
export class ApiDocsService {
  constructor(
    private readonly client: UpstreamApiDocsClient,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A service's OpenAPI document, its paths read relative to the gateway. */
  async documentFor(name: string): Promise<Record<string, unknown>> {
    const published = Object.hasOwn(PUBLISHED_API_DOCS, name) ? PUBLISHED_API_DOCS[name] : undefined;
    if (!published) {
      throw ProblemException.notFound(`No API document named ${name}; try one of ${Object.keys(PUBLISHED_API_DOCS).join(', ')}, gateway`);
    }
    try {
      const document = await this.client.fetchDocument(published.service, this.config.UPSTREAM_TIMEOUT_MS);
      return { ...document, paths: withFhirPathsAtRoot(document.paths), servers: [{ url: published.serverUrl }] };
    } catch (error) {
      if (error instanceof ApiDocumentUnavailableError) {
        throw ProblemException.serviceUnavailable(`The ${published.service} service is unavailable`);
      }
      throw error;
    }
  }
}

/**
 * A service's FHIR paths (`/fhir/R4/...`) are published at the gateway's root, not under the
 * document's server prefix (`/api`): each gets a server of its own.
 */
function withFhirPathsAtRoot(paths: unknown): unknown {
  if (typeof paths !== 'object' || paths === null) return paths;
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [path, path.startsWith(`${FHIR_BASE}/`) ? { ...(item as object), servers: [{ url: '/' }] } : item]),
  );
}
