import { Clock } from './clock';

describe('Clock', () => {
  const clock = new Clock();

  it('tells the current time', () => {
    const before = Date.now();
    const now = clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('waits until a time to come, and not for one past', async () => {
    const target = Date.now() + 50;
    await clock.waitUntil(target);
    expect(Date.now()).toBeGreaterThanOrEqual(target);
    const started = Date.now();
    await clock.waitUntil(started - 10_000);
    expect(Date.now() - started).toBeLessThan(20);
  });
});
