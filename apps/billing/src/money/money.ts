/** ISO 4217 alphabetic code: three capital letters. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

export class MoneyError extends Error {}

/** Why an API amount is refused, or null when it is a positive integer of minor units. */
export function minorAmountProblem(value: unknown): string | null {
  if (value === undefined || value === null) return 'amount is required';
  if (typeof value !== 'number') return 'amount must be an integer number of minor units (e.g. 2500 for 25.00), not a string';
  if (!Number.isInteger(value)) return 'amount must be an integer number of minor units (e.g. 2500 for 25.00)';
  if (!Number.isSafeInteger(value)) return 'amount is too large';
  if (value <= 0) return 'amount must be positive';
  return null;
}

/**
 * An amount of one currency in integer minor units (cents). Safe integers only, so no float
 * rounding ever; arithmetic across currencies is refused rather than silently mixed.
 */
export class Money {
  private constructor(
    readonly amountMinor: number,
    readonly currency: string,
  ) {}

  static of(amountMinor: number, currency: string): Money {
    if (!Number.isSafeInteger(amountMinor)) throw new MoneyError(`Not a whole number of minor units: ${amountMinor}`);
    if (!CURRENCY_CODE.test(currency)) throw new MoneyError(`Not an ISO 4217 currency code: ${currency}`);
    return new Money(amountMinor, currency);
  }

  static zero(currency: string): Money {
    return Money.of(0, currency);
  }

  add(other: Money): Money {
    return Money.of(this.amountMinor + this.sameCurrency(other).amountMinor, this.currency);
  }

  subtract(other: Money): Money {
    return Money.of(this.amountMinor - this.sameCurrency(other).amountMinor, this.currency);
  }

  /** `quantity` times this amount (a line of `quantity` items at this unit price). */
  times(quantity: number): Money {
    if (!Number.isSafeInteger(quantity)) throw new MoneyError(`Not a whole quantity: ${quantity}`);
    return Money.of(this.amountMinor * quantity, this.currency);
  }

  /** Negative, zero or positive as this is less than, equal to or more than `other`. */
  compare(other: Money): number {
    return Math.sign(this.amountMinor - this.sameCurrency(other).amountMinor);
  }

  isGreaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amountMinor === other.amountMinor;
  }

  isZero(): boolean {
    return this.amountMinor === 0;
  }

  toJSON(): { amountMinor: number; currency: string } {
    return { amountMinor: this.amountMinor, currency: this.currency };
  }

  private sameCurrency(other: Money): Money {
    if (other.currency !== this.currency) throw new MoneyError(`Cannot mix ${this.currency} and ${other.currency}`);
    return other;
  }
}
