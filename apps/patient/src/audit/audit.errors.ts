import { DomainError } from '@pm/platform';

/** The audit entry of a request could not be written: the request must not answer as if it had been. */
export class AuditUnavailableError extends DomainError {
  static readonly spec = { code: 'AUDIT_UNAVAILABLE', status: 503, description: 'The audit trail cannot be written right now; retry' };

  constructor() {
    super('The audit trail cannot be written right now', { message: 'The audit trail could not be written' });
  }
}
