import { metricsRegistry } from '@pm/platform';
import { Counter } from 'prom-client';

export const rateLimitUnavailableTotal = new Counter({
  name: 'gateway_rate_limit_unavailable_total',
  help: 'Requests let through unlimited because the rate-limit counters (Redis) could not be reached',
  registers: [metricsRegistry],
});

export const rateLimitRejectedTotal = new Counter({
  name: 'gateway_rate_limit_rejected_total',
  help: 'Requests refused with 429, by whom they were counted against (user or address)',
  labelNames: ['subject'] as const,
  registers: [metricsRegistry],
});
