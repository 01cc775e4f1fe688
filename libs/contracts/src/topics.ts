/** Kafka topics of the external contract; keys are the entity ids. */
export const Topics = {
  patient: 'patient',
  billingAccount: 'billing-account',
  appointment: 'appointment',
  billing: 'billing',
  analyticsDeadLetter: 'analytics-dead-letter',
  /** Refusals decided by the gateway on patient routes, for the patient service's audit trail. */
  auditDenials: 'audit-denials',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];
