import { FakeClock } from './fake-clock';

describe('FakeClock', () => {
  it('stands still until advanced or set', () => {
    const clock = new FakeClock(new Date('2030-06-01T12:00:00Z'));
    expect(clock.now()).toEqual(new Date('2030-06-01T12:00:00Z'));
    clock.advance(1_500);
    expect(clock.now()).toEqual(new Date('2030-06-01T12:00:01.500Z'));
    clock.set(new Date('2031-01-01T00:00:00Z'));
    expect(clock.now().getTime()).toBe(Date.parse('2031-01-01T00:00:00Z'));
  });

  it('hands out copies, so a caller cannot move it', () => {
    const clock = new FakeClock(1_000);
    clock.now().setTime(0);
    expect(clock.now().getTime()).toBe(1_000);
  });

  it('records each wait and jumps to a later time, never back', async () => {
    const clock = new FakeClock(5_000);
    await clock.waitUntil(9_000);
    await clock.waitUntil(7_000);
    expect(clock.waitedUntil).toEqual([9_000, 7_000]);
    expect(clock.now().getTime()).toBe(9_000);
  });
});
