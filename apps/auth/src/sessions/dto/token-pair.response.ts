import { ApiProperty } from '@nestjs/swagger';
import type { IssuedSession } from '../sessions.service';

/** The answer of login and refresh: an access token and the refresh token that renews it. */
export class TokenPairResponse {
  @ApiProperty({ description: 'The access token, an ES256 JWT (compat: `token`)' })
  token: string;

  @ApiProperty({ description: 'Opaque, single-use refresh token for `POST /auth/refresh`; keep it secret' })
  refreshToken: string;

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expiresIn: number;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';

  static from(session: IssuedSession): TokenPairResponse {
    return {
      token: session.accessToken.token,
      refreshToken: session.refreshToken,
      expiresIn: session.accessToken.expiresIn,
      tokenType: 'Bearer',
    };
  }
}
