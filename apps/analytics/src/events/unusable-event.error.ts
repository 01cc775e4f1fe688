/**
 * An event that decoded but can never be applied (e.g. a patientId that is not a UUID). Like an
 * undecodable one it is skipped, not retried: delivering it again would fail again forever.
 */
export class UnusableEventError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
