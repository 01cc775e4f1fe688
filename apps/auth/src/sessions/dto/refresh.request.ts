import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

// class-validator reports the last decorator's failure first, so "required" comes last.
export class RefreshRequest {
  @ApiProperty({ description: 'The refresh token from the last login or refresh' })
  @MaxLength(512, { message: 'refreshToken must be at most 512 characters' })
  @IsString({ message: 'refreshToken must be a string' })
  @IsNotEmpty({ message: 'refreshToken is required' })
  refreshToken: string;
}
