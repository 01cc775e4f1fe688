import { ApiProperty } from '@nestjs/swagger';
import { ProblemException } from '@pm/platform';
import { IsNotEmpty, Matches, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day: `2024-02-30` matches the pattern but is refused here. */
@ValidatorConstraint({ name: 'isCalendarDay' })
class IsCalendarDay implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !DAY.test(value)) return false;
    const date = new Date(`${value}T00:00:00.000Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }
  defaultMessage(): string {
    return '$property must be a calendar day';
  }
}

/** `from` and `to`, both inclusive UTC days. */
export class DateRangeQuery {
  @ApiProperty({ example: '2024-03-01', description: 'First day, inclusive (UTC)' })
  @IsNotEmpty({ message: 'from is required' })
  @Matches(DAY, { message: 'from must be a day as YYYY-MM-DD' })
  @Validate(IsCalendarDay)
  from: string;

  @ApiProperty({ example: '2024-03-31', description: 'Last day, inclusive (UTC)' })
  @IsNotEmpty({ message: 'to is required' })
  @Matches(DAY, { message: 'to must be a day as YYYY-MM-DD' })
  @Validate(IsCalendarDay)
  to: string;
}

/** Refuses a range that ends before it starts (the DTO checks each day on its own). */
export function assertOrderedRange(from: string, to: string): void {
  if (to < from) throw ProblemException.badRequest('The range ends before it starts', { to: 'to must not be before from' });
}
