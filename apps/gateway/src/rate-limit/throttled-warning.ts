/**
 * Lets a repeated warning through at most once per interval and counts the ones held back, so an
 * outage is logged, not once per request.
 */
export class ThrottledWarning {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Undefined when this occurrence should stay quiet; else how many were held back since the last. */
  take(): { suppressedSince: number } | undefined {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed += 1;
      return undefined;
    }
    const suppressedSince = this.suppressed;
    this.lastLoggedAt = now;
    this.suppressed = 0;
    return { suppressedSince };
  }
}
