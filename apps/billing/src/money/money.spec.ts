import { Money, MoneyError, minorAmountProblem } from './money';

describe('Money', () => {
  const eur = (minor: number) => Money.of(minor, 'EUR');

  it('adds and subtracts exactly where floats would not (0.1 + 0.2)', () => {
    expect(eur(10).add(eur(20)).amountMinor).toBe(30);
    expect(eur(2500).subtract(eur(1000)).toJSON()).toEqual({ amountMinor: 1500, currency: 'EUR' });
    expect(eur(1000).subtract(eur(2500)).amountMinor).toBe(-1500);
    expect(eur(1999).times(3).amountMinor).toBe(5997);
  });

  it('compares amounts of one currency', () => {
    expect(eur(5).compare(eur(7))).toBe(-1);
    expect(eur(7).compare(eur(7))).toBe(0);
    expect(eur(8).compare(eur(7))).toBe(1);
    expect(eur(8).isGreaterThan(eur(7))).toBe(true);
    expect(eur(7).equals(eur(7))).toBe(true);
    expect(eur(7).equals(Money.of(7, 'USD'))).toBe(false);
    expect(Money.zero('EUR').isZero()).toBe(true);
  });

  it('refuses to mix currencies', () => {
    const usd = Money.of(100, 'USD');
    expect(() => eur(100).add(usd)).toThrow(new MoneyError('Cannot mix EUR and USD'));
    expect(() => eur(100).subtract(usd)).toThrow(MoneyError);
    expect(() => eur(100).compare(usd)).toThrow(MoneyError);
  });

  it('refuses fractions of a minor unit, unsafe integers and bad currency codes', () => {
    expect(() => eur(0.5)).toThrow(MoneyError);
    expect(() => eur(Number.MAX_SAFE_INTEGER + 1)).toThrow(MoneyError);
    expect(() => eur(Number.MAX_SAFE_INTEGER).add(eur(1))).toThrow(MoneyError);
    expect(() => eur(1).times(1.5)).toThrow(MoneyError);
    expect(() => Money.of(1, 'eur')).toThrow(MoneyError);
    expect(() => Money.of(1, 'EURO')).toThrow(MoneyError);
  });
});

describe('minorAmountProblem (API amounts are integers of minor units)', () => {
  it('accepts positive integers: 2500 means 25.00', () => {
    expect(minorAmountProblem(2500)).toBeNull();
    expect(minorAmountProblem(1)).toBeNull();
  });

  it.each([
    [undefined, 'amount is required'],
    [null, 'amount is required'],
    ['2500', 'amount must be an integer number of minor units (e.g. 2500 for 25.00), not a string'],
    [25.5, 'amount must be an integer number of minor units (e.g. 2500 for 25.00)'],
    [Number.MAX_SAFE_INTEGER + 1, 'amount is too large'],
    [0, 'amount must be positive'],
    [-100, 'amount must be positive'],
  ])('refuses %p', (value, message) => {
    expect(minorAmountProblem(value)).toBe(message);
  });
});
