/** Kafka topics of the external contract; keys are the entity ids. */
export const Topics = {
  patient: 'patient',
  billingAccount: 'billing-account',
  appointment: 'appointment',
  billing: 'billing',
  analyticsDeadLetter: 'analytics-dead-letter',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
