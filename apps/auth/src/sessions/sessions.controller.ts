import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access, type AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { RefreshRequest } from './dto/refresh.request';
import { TokenPairResponse } from './dto/token-pair.response';
import { SessionErrors } from './sessions.errors';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('refresh')
  @Access('POST /refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new access and refresh token',
    description:
      'Public: no access token needed. The presented refresh token is used up; presenting it again revokes the whole session (its refresh and access tokens).',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiBadRequestResponse({ description: '`refreshToken` missing or not a string' })
  @ApiUnauthorizedResponse({ description: 'Unknown, expired, used or revoked refresh token, or a disabled user (one answer for all)' })
  @ApiErrors(SessionErrors.InvalidRefreshToken)
  async refresh(@Body() request: RefreshRequest): Promise<TokenPairResponse> {
    return TokenPairResponse.from(await this.sessions.refresh(request.refreshToken));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @Access('POST /logout')
  @ApiOperation({
    summary: 'End the session of the bearer access token',
    description: "The access token, the session's other access tokens and its refresh tokens stop working at once.",
  })
  @ApiNoContentResponse({ description: 'Logged out' })
  @ApiServiceUnavailableResponse({ description: 'The revocation list is unreachable: the refresh tokens are revoked but the access token may work until it expires; retry' })
  @ApiErrors(SessionErrors.RevocationUnavailable)
  async logout(@CurrentUser() user: AccessTokenClaims): Promise<void> {
    await this.sessions.logout(user);
  }
}
