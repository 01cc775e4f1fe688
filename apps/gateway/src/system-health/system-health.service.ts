import { Injectable } from '@nestjs/common';
import { UPSTREAM_SERVICES, type UpstreamService } from '../routes/upstream-services';
import { UpstreamHealthClient, type ReadinessAnswer } from './upstream-health.client';

export const READINESS_TIMEOUT_MS = 2000;

export interface ServiceHealth {
  /** `degraded`: ready (200) but doing without a dependency it can serve without (Redis). */
  status: 'up' | 'degraded' | 'down';
  /** The status `/health/ready` answered with; absent when the service did not answer. */
  httpStatus?: number;
  /** Each of the service's own dependencies and its state, as the service reported them. */
  details?: Record<string, { status: string }>;
  /** Why a service that did not answer counts as down. */
  reason?: string;
}

export interface SystemHealth {
  status: 'up' | 'degraded' | 'down';
  services: Record<UpstreamService, ServiceHealth>;
}

/**
 * The whole system is up only when every service's readiness answers 200; degraded when they all
 * do but one or more says it is doing without something (e.g. Redis).
 */
export function summarizeSystemHealth(services: Record<UpstreamService, ServiceHealth>): SystemHealth {
  const states = Object.values(services).map((service) => service.status);
  const status = states.includes('down') ? 'down' : states.includes('degraded') ? 'degraded' : 'up';
  return { status, services };
}

/**
 * A readiness answer as the gateway reports it. Only dependency names and states are kept: the
 * services' failure messages can name internal hosts, which never reach a client.
 */
export function serviceHealthFrom(answer: ReadinessAnswer): ServiceHealth {
  const degraded = (answer.body as { status?: unknown } | undefined)?.status === 'degraded';
  const health: ServiceHealth = { status: answer.httpStatus === 200 ? (degraded ? 'degraded' : 'up') : 'down', httpStatus: answer.httpStatus };
  const reported = (answer.body as { details?: unknown } | undefined)?.details;
  if (reported && typeof reported === 'object') {
    health.details = Object.fromEntries(
      Object.entries(reported as Record<string, { status?: unknown }>).map(([dependency, state]) => [
        dependency,
        { status: typeof state?.status === 'string' ? state.status : 'unknown' },
      ]),
    );
  }
  return health;
}

export function unansweredServiceHealth(error: unknown, timeoutMs: number): ServiceHealth {
  const timedOut = (error as Error | undefined)?.name === 'TimeoutError';
  return { status: 'down', reason: timedOut ? `no answer within ${timeoutMs} ms` : 'unreachable' };
}

@Injectable()
export class SystemHealthService {
  constructor(private readonly client: UpstreamHealthClient) {}

  /** Asks every service at once, so the answer takes at most one readiness timeout. */
  async check(): Promise<SystemHealth> {
    const entries = await Promise.all(
      UPSTREAM_SERVICES.map(async (service) => [service, await this.serviceHealth(service)] as const),
    );
    return summarizeSystemHealth(Object.fromEntries(entries) as Record<UpstreamService, ServiceHealth>);
  }

  private async serviceHealth(service: UpstreamService): Promise<ServiceHealth> {
    try {
      return serviceHealthFrom(await this.client.readiness(service, READINESS_TIMEOUT_MS));
    } catch (error) {
      return unansweredServiceHealth(error, READINESS_TIMEOUT_MS);
    }
  }
}
