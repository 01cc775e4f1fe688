import { Injectable } from '@nestjs/common';
import { metricsRegistry } from '@pm/observability';
import { Counter } from 'prom-client';

export type LoginOutcome = 'success' | 'failure';

const loginsTotal = new Counter({
  name: 'auth_logins_total',
  help: 'Login attempts by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
// Both series exist from the start, so a rate() over failures works before the first one.
loginsTotal.inc({ outcome: 'success' }, 0);
loginsTotal.inc({ outcome: 'failure' }, 0);

@Injectable()
export class LoginMetrics {
  record(outcome: LoginOutcome): void {
    loginsTotal.inc({ outcome });
  }
}
