import { Injectable } from '@nestjs/common';
import { metricsRegistry } from '@pm/platform';
import { Counter } from 'prom-client';
import type { RefreshOutcome } from './sessions.service';

const OUTCOMES: readonly RefreshOutcome[] = ['rotated', 'unknown', 'expired', 'reused', 'user_disabled'];

const refreshesTotal = new Counter({
  name: 'auth_refreshes_total',
  help: 'Refresh-token exchanges by outcome (reused: a used or revoked token was presented and its session revoked)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
for (const outcome of OUTCOMES) refreshesTotal.inc({ outcome }, 0);

@Injectable()
export class SessionMetrics {
  refreshed(outcome: RefreshOutcome): void {
    refreshesTotal.inc({ outcome });
  }
}
