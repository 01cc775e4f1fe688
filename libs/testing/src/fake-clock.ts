import type { Clock } from '@pm/platform';

/** A Clock that moves only when told: `advance` moves it, `waitUntil` records the time and jumps to it. */
export class FakeClock implements Clock {
  private currentMs: number;
  /** Every time waited for (epoch ms), in order. */
  readonly waitedUntil: number[] = [];

  constructor(start: Date | number = new Date('2030-01-01T12:00:00Z')) {
    this.currentMs = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  async waitUntil(epochMs: number): Promise<void> {
    this.waitedUntil.push(epochMs);
    if (epochMs > this.currentMs) this.currentMs = epochMs;
  }

  advance(ms: number): void {
    this.currentMs += ms;
  }

  set(to: Date): void {
    this.currentMs = to.getTime();
  }
}
