import { Injectable } from '@nestjs/common';
import { metricsRegistry } from '@pm/platform';
import { Counter } from 'prom-client';
import type { LoginThrottleEvents } from './login-throttle';

export type LoginOutcome = 'success' | 'failure' | 'throttled';

const loginsTotal = new Counter({
  name: 'auth_logins_total',
  help: 'Login attempts by outcome (throttled: refused with 429 before the password was checked)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
// Every series exists from the start, so a rate() over failures works before the first one.
for (const outcome of ['success', 'failure', 'throttled'] as const) loginsTotal.inc({ outcome }, 0);

const throttleUnavailableTotal = new Counter({
  name: 'auth_login_throttle_unavailable_total',
  help: 'Login attempts let through unthrottled because no failed-login counter (Redis, nor its in-memory stand-in) answered',
  registers: [metricsRegistry],
});

const throttleInMemoryTotal = new Counter({
  name: 'auth_login_throttle_in_memory_total',
  help: "Failed-login counter operations served by this instance's in-memory limiter because Redis was not ready",
  registers: [metricsRegistry],
});

@Injectable()
export class LoginMetrics implements LoginThrottleEvents {
  record(outcome: LoginOutcome): void {
    loginsTotal.inc({ outcome });
  }

  unavailable(): void {
    throttleUnavailableTotal.inc();
  }

  inMemory(): void {
    throttleInMemoryTotal.inc();
  }
}
