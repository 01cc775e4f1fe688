import { metricsRegistry } from '@pm/platform';
import { Counter } from 'prom-client';

export const undecodableEvents = new Counter({
  name: 'analytics_undecodable_events_total',
  help: 'Kafka messages skipped because they could not be decoded or used, by topic',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
});

export const consumedEvents = new Counter({
  name: 'analytics_events_consumed_total',
  help: 'Kafka events consumed, by topic and outcome (applied, or duplicate and ignored)',
  labelNames: ['topic', 'outcome'] as const,
  registers: [metricsRegistry],
});
