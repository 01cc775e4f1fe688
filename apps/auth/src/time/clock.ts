import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

/** The current time, behind a class so rules that depend on it can be tested with a fake. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Resolves once the clock has reached `epochMs`. */
  async waitUntil(epochMs: number): Promise<void> {
    const remaining = epochMs - Date.now();
    if (remaining > 0) await sleep(remaining);
  }
}

/** Whole seconds since the epoch, as JWT claims count time. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
