import type { Transaction } from '@pm/platform';
import { inMemoryTransactions } from './in-memory-transactions';

describe('inMemoryTransactions', () => {
  let state: string[];
  let fake: ReturnType<typeof inMemoryTransactions<string[]>>;

  beforeEach(() => {
    state = ['before'];
    fake = inMemoryTransactions({ get: () => state, set: (next) => (state = next) }, (s) => [...s]);
  });

  it('keeps the writes of work that resolves, and answers its result', async () => {
    const answer = await fake.transactions.run(async (tx) => {
      fake.draft(tx).push('written');
      expect(state).toEqual(['before']); // not visible until commit
      return 'done';
    });
    expect(answer).toBe('done');
    expect(state).toEqual(['before', 'written']);
  });

  it('drops the writes of work that throws, and rethrows', async () => {
    const failure = new Error('refused');
    await expect(
      fake.transactions.run(async (tx) => {
        fake.draft(tx).push('lost');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(state).toEqual(['before']);
  });

  it('refuses a write outside the open transaction', async () => {
    let leaked: Transaction | undefined;
    await fake.transactions.run(async (tx) => {
      leaked = tx;
      expect(() => fake.draft({} as Transaction)).toThrow('write outside the open transaction');
    });
    expect(() => fake.draft(leaked!)).toThrow('write outside the open transaction');
  });
});
