import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

// class-validator runs a property's rules bottom-up and only the first failure is reported,
// so the most basic rule ("required") is the last decorator.
export class LoginRequest {
  @ApiProperty({ format: 'email', example: 'testuser@test.com', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsString({ message: 'email must be a string' })
  @IsNotEmpty({ message: 'email is required' })
  email: string;

  @ApiProperty({ example: 'password123', maxLength: 1024, format: 'password' })
  @MaxLength(1024, { message: 'password must be at most 1024 characters' })
  @IsString({ message: 'password must be a string' })
  @IsNotEmpty({ message: 'password is required' })
  password: string;
}
