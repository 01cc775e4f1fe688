import { applyDecorators } from '@nestjs/common';
import { ValidateBy } from 'class-validator';

/**
 * Applies validation decorators in the order listed. class-validator runs a property's rules in
 * registration order and, with stopAtFirstError, reports only the first one broken; stacked
 * decorators register bottom-up, which reads backwards.
 */
export function ValidateInOrder(...rules: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...rules);
}

/** Present: not undefined, null, or a blank string. */
export function IsPresent(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isPresent',
    validator: { validate: (value: unknown) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '') },
  }, { message });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (2023-02-30 is not one). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1;
}

/**
 * The latest calendar date that has begun somewhere on earth (UTC+14): a birth date is in the
 * future only when no time zone has reached it yet, so a newborn is never refused for its zone.
 */
export function latestCurrentDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

export function IsCalendarDate(message: string): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: isCalendarDate } }, { message });
}

/** Applies to real dates only; a malformed one is reported by IsCalendarDate. */
export function IsNotFutureDate(message: string): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotFutureDate',
      validator: { validate: (value: unknown) => !isCalendarDate(value) || value <= latestCurrentDate() },
    },
    { message },
  );
}

/** PostgreSQL text cannot hold U+0000; refusing it here keeps it a 400 rather than a 500. */
export function HasNoNullCharacter(message: string): PropertyDecorator {
  return ValidateBy(
    { name: 'hasNoNullCharacter', validator: { validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000') } },
    { message },
  );
}
