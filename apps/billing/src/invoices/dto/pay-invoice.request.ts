import { ApiProperty } from '@nestjs/swagger';
import { ValidationArguments, registerDecorator } from 'class-validator';
import { minorAmountProblem } from '../../money/money';

/** One rule, one message per refusal: amounts are positive integers of minor units only. */
function IsMinorAmount(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isMinorAmount',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => minorAmountProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) => minorAmountProblem(args?.value) ?? 'amount is invalid',
      },
    });
}

export class PayInvoiceRequest {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 2500,
    description: 'Integer minor units of the invoice currency: 2500 means 25.00. Floats and strings are refused.',
  })
  @IsMinorAmount()
  amount: number;
}
