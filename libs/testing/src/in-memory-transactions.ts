import type { Transaction, Transactions } from '@pm/platform';

export interface InMemoryTransactions<S> {
  /** Hand this to the service under test (`as Transactions`). */
  readonly transactions: Pick<Transactions, 'run'>;
  /** The open transaction's copy of the state; throws for a `tx` that is not the open one. */
  draft(tx: Transaction): S;
}

/**
 * A typed fake of `Transactions` over in-memory tables, for unit tests of services: the work
 * runs on a copy that replaces the tables only when it resolves (all or nothing, as PostgreSQL),
 * and a fake repository that reaches its tables through `draft(tx)` fails when a write is made
 * outside the transaction the service opened.
 */
export function inMemoryTransactions<S>(tables: { get(): S; set(state: S): void }, copy: (state: S) => S): InMemoryTransactions<S> {
  let open: { tx: Transaction; draft: S } | undefined;
  return {
    transactions: {
      async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
        const current = { tx: {} as Transaction, draft: copy(tables.get()) };
        open = current;
        try {
          const result = await work(current.tx);
          tables.set(current.draft);
          return result;
        } finally {
          open = undefined;
        }
      },
    },
    draft(tx: Transaction): S {
      if (!open || tx !== open.tx) throw new Error('write outside the open transaction');
      return open.draft;
    },
  };
}
