import type { Transaction } from '@pm/platform';
import { inMemoryTransactions, type InMemoryTransactions } from '@pm/testing';
import { type AnalyticsUpdate, AnalyticsUpdates } from '../stream/analytics-updates';

/**
 * The part the analytics fake repositories share: tables in memory with the real thing's
 * all-or-nothing transactions (`transactions.run` works on a draft that replaces `state` only when
 * the work succeeds; a write outside it fails), and recordProcessed's once-only check.
 */
export abstract class InMemoryStatsTables<S extends { processed: Set<string> }> {
  state: S;
  readonly transactions: InMemoryTransactions<S>['transactions'];
  private readonly tables: InMemoryTransactions<S>;

  constructor(initial: S, copy: (state: S) => S) {
    this.state = initial;
    this.tables = inMemoryTransactions({ get: () => this.state, set: (state) => (this.state = state) }, copy);
    this.transactions = this.tables.transactions;
  }

  async recordProcessed(eventId: string, _topic: string, tx: Transaction): Promise<boolean> {
    const draft = this.draft(tx);
    if (draft.processed.has(eventId)) return false;
    draft.processed.add(eventId);
    return true;
  }

  protected draft(tx: Transaction): S {
    return this.tables.draft(tx);
  }
}

/** A real update feed, and every update it published, in order. */
export function recordedUpdates(): { feed: AnalyticsUpdates; updates: AnalyticsUpdate[] } {
  const feed = new AnalyticsUpdates();
  const updates: AnalyticsUpdate[] = [];
  feed.updates.subscribe((update) => updates.push(update));
  return { feed, updates };
}
