import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { HasNoNullCharacter, IsCalendarDate, IsNotFutureDate, IsPresent, ValidateInOrder } from './patient-rules';

/**
 * The fields of a patient a caller sends. Each field reports only its first broken rule, in the
 * order listed, with the messages of the seed systems (compat).
 */
export abstract class PatientFieldsDto {
  @ApiProperty({ maxLength: 100, example: 'John Doe' })
  @ValidateInOrder(
    IsPresent('Name is required'),
    IsString({ message: 'Name must be text' }),
    MaxLength(100, { message: 'Name cannot exceed 100 characters' }),
    HasNoNullCharacter('Name contains a character that is not allowed'),
  )
  name: string;

  @ApiProperty({ format: 'email', maxLength: 255, example: 'john.doe@example.com' })
  @ValidateInOrder(
    IsPresent('Email is required'),
    IsEmail({}, { message: 'Email should be valid' }),
    MaxLength(255, { message: 'Email cannot exceed 255 characters' }),
  )
  email: string;

  @ApiProperty({ example: '123 Main St, Springfield' })
  @ValidateInOrder(
    IsPresent('Address is required'),
    IsString({ message: 'Address must be text' }),
    HasNoNullCharacter('Address contains a character that is not allowed'),
  )
  address: string;

  @ApiProperty({ format: 'date', example: '1985-06-15', description: 'YYYY-MM-DD, not in the future' })
  @ValidateInOrder(
    IsPresent('Date of birth is required'),
    IsCalendarDate('Date of birth must be a valid date (YYYY-MM-DD)'),
    IsNotFutureDate('Date of birth cannot be in the future'),
  )
  dateOfBirth: string;
}

export class CreatePatientDto extends PatientFieldsDto {
  @ApiProperty({ format: 'date', example: '2024-01-10', description: 'YYYY-MM-DD' })
  @ValidateInOrder(
    IsPresent('Registered date is required'),
    IsCalendarDate('Registered date must be a valid date (YYYY-MM-DD)'),
  )
  registeredDate: string;
}

export class UpdatePatientDto extends PatientFieldsDto {
  @ApiPropertyOptional({ format: 'date', example: '2024-01-10', description: 'YYYY-MM-DD; unchanged when left out' })
  @ValidateInOrder(IsOptional(), IsCalendarDate('Registered date must be a valid date (YYYY-MM-DD)'))
  registeredDate?: string;
}
