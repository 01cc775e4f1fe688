import { ApiProperty } from '@nestjs/swagger';
import { ALL_ROLES, type Role } from '@pm/auth-tokens';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../users/password-policy';

// class-validator reports the last decorator's failure first, so "required" comes last. Only the
// type is checked here: the password policy (length, the email's name part, zxcvbn strength)
// is one rule in users/password-policy.ts, applied by the service.
const PASSWORD_DOC = {
  format: 'password',
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description: `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters, not containing the email's name part, and hard enough to guess (zxcvbn strength score of at least PASSWORD_MIN_SCORE, 3 by default)`,
};
const roleMessage = (field: string) => `${field} must be one of ${ALL_ROLES.join(', ')}`;

export class CreateUserRequest {
  @ApiProperty({ format: 'email', example: 'new.nurse@clinic.example', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsString({ message: 'email must be a string' })
  @IsNotEmpty({ message: 'email is required' })
  email: string;

  @ApiProperty({ ...PASSWORD_DOC, example: 'correct horse battery staple' })
  @IsString({ message: 'password must be a string' })
  @IsNotEmpty({ message: 'password is required' })
  password: string;

  @ApiProperty({ enum: ALL_ROLES, example: 'NURSE' })
  @IsIn(ALL_ROLES, { message: roleMessage('role') })
  @IsNotEmpty({ message: 'role is required' })
  role: Role;
}

export class ChangeRoleRequest {
  @ApiProperty({ enum: ALL_ROLES, example: 'DOCTOR' })
  @IsIn(ALL_ROLES, { message: roleMessage('role') })
  @IsNotEmpty({ message: 'role is required' })
  role: Role;
}

export class ResetPasswordRequest {
  @ApiProperty({ ...PASSWORD_DOC, example: 'a new long passphrase' })
  @IsString({ message: 'password must be a string' })
  @IsNotEmpty({ message: 'password is required' })
  password: string;
}
