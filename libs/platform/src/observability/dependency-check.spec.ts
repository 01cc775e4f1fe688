import { withTimeout } from './dependency-check';

describe('withTimeout', () => {
  afterEach(() => jest.useRealTimers());

  it('answers what the promise answers when it settles in time', async () => {
    await expect(withTimeout(Promise.resolve('up'), 100, 'database')).resolves.toBe('up');
    await expect(withTimeout(Promise.reject(new Error('refused')), 100, 'database')).rejects.toThrow('refused');
  });

  it('rejects naming the dependency and the wait once the time is up', async () => {
    jest.useFakeTimers();
    const pending = withTimeout(new Promise(() => undefined), 2000, 'kafka');
    const outcome = expect(pending).rejects.toThrow('kafka did not answer within 2000 ms');
    jest.advanceTimersByTime(1999);
    await Promise.resolve();
    jest.advanceTimersByTime(1);
    await outcome;
  });

  it('clears its timer once the promise settles, leaving nothing to keep the process alive', async () => {
    jest.useFakeTimers();
    await withTimeout(Promise.resolve(1), 2000, 'redis');
    expect(jest.getTimerCount()).toBe(0);
  });
});
