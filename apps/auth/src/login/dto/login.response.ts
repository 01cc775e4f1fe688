import { ApiProperty } from '@nestjs/swagger';
import type { IssuedAccessToken } from '../../tokens/access-token.issuer';

export class LoginResponse {
  @ApiProperty({ description: 'The access token (an ES256 JWT) (compat: `token`)' })
  token: string;

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  static from(issued: IssuedAccessToken): LoginResponse {
    return { token: issued.token, expiresIn: issued.expiresIn, tokenType: 'Bearer' };
  }
}
