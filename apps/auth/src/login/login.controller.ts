import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { TokenPairResponse } from '../sessions/dto/token-pair.response';
import { LoginRequest } from './dto/login.request';
import { LoginErrors } from './login.errors';
import { LoginService } from './login.service';

@ApiTags('auth')
@Controller('login')
export class LoginController {
  constructor(private readonly logins: LoginService) {}

  @Post()
  @Access('POST /login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange an email and password for an access token and a refresh token (compat)',
    description:
      'Public: no token needed. Consecutive failed logins for one account from one address block that pair (429, the block ' +
      'doubling with each further failure; a success resets it); many failed logins from one address in a day block the ' +
      'address; an account failing from many addresses is slowed (the answer waits), never refused.',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiBadRequestResponse({ description: 'A missing or invalid field, named in `errors`' })
  @ApiUnauthorizedResponse({ description: 'Unknown email, wrong password or disabled account (one answer for all)' })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins for this account from this address, or from this address; `Retry-After` says how many seconds to wait',
    headers: { 'Retry-After': { description: 'Seconds until logins are accepted again', schema: { type: 'integer' } } },
  })
  @ApiErrors(LoginErrors.InvalidCredentials, LoginErrors.Throttled)
  async login(@Body() request: LoginRequest, @Ip() ip: string): Promise<TokenPairResponse> {
    return TokenPairResponse.from(await this.logins.login({ email: request.email, password: request.password, ip: ip ?? 'unknown' }));
  }
}
