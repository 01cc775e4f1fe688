import { ApiProperty } from '@nestjs/swagger';
import { type AccessTokenClaims, ALL_ROLES } from '@pm/auth-tokens';

export class ValidateResponse {
  @ApiProperty({ example: true })
  valid: true;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ enum: ALL_ROLES })
  role: string;

  static from(claims: AccessTokenClaims): ValidateResponse {
    return { valid: true, userId: claims.userId, email: claims.email, role: claims.role };
  }
}
