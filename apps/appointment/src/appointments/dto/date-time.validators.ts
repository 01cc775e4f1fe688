import { ValidateBy, ValidationArguments, ValidationOptions, isISO8601 } from 'class-validator';

// A full date-time with its offset: a bare date or local time would be read in the server's zone.
const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function isOffsetDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    OFFSET_DATE_TIME.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** An ISO 8601 date-time with `Z` or `±hh:mm`, on a real calendar day. */
export function IsOffsetDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOffsetDateTime',
      validator: {
        validate: (value: unknown) => isOffsetDateTime(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be an ISO 8601 date-time with an offset`,
      },
    },
    options,
  );
}

/**
 * The date-time is strictly after the one in `earlierProperty`. Passes when either is not a
 * date-time: that field's own rule reports it.
 */
export function IsAfterDateTime(earlierProperty: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAfterDateTime',
      constraints: [earlierProperty],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const earlier = (args?.object as Record<string, unknown> | undefined)?.[earlierProperty];
          if (!isOffsetDateTime(value) || !isOffsetDateTime(earlier)) return true;
          return Date.parse(value) > Date.parse(earlier);
        },
        defaultMessage: (args?: ValidationArguments) => `${args?.property} must be after ${earlierProperty}`,
      },
    },
    options,
  );
}
