import { Controller, Get, Headers } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Access, AccessTokenErrors, AccessTokenVerifier, MissingAccessTokenError, bearerToken } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { ValidateResponse } from './dto/validate.response';

/** Verifies with the same passport-jwt strategy (AccessTokenVerifier) as the gateway and every service. */
@ApiTags('auth')
@Controller('validate')
export class ValidateController {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  @Get()
  // Public to the guard: it checks its own Authorization header, with its compat answers.
  @Access('GET /validate')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Whether the bearer access token is valid, and whose it is (compat)' })
  @ApiOkResponse({ type: ValidateResponse })
  @ApiUnauthorizedResponse({ description: 'No token, or one that is invalid or expired' })
  @ApiServiceUnavailableResponse({ description: 'The token cannot be checked right now (e.g. the revocation list is unreachable)' })
  @ApiErrors(AccessTokenErrors.Missing, AccessTokenErrors.Invalid, AccessTokenErrors.Unverifiable)
  async validate(@Headers('authorization') authorization?: string): Promise<ValidateResponse> {
    const token = bearerToken(authorization);
    if (!token) throw new MissingAccessTokenError();
    return ValidateResponse.from(await this.verifier.verify(token));
  }
}
