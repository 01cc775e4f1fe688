import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

/** The current time, behind a class so rules that depend on it are tested with FakeClock (@pm/testing). */
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
