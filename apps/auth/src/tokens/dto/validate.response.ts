import { ApiProperty } from '@nestjs/swagger';
import { type AccessTokenClaims, Roles } from '@pm/auth-tokens';

export class ValidateResponse {
  @ApiProperty({ example: true })
  valid: true;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ enum: Roles })
  role: string;

  static from(claims: AccessTokenClaims): ValidateResponse {
    return { valid: true, userId: claims.userId, email: claims.email, role: claims.role };
  }
}
