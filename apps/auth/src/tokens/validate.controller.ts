import { Controller, Get, Headers } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Access, AccessTokenVerifier, InvalidAccessTokenError, TokenVerificationUnavailableError, bearerToken } from '@pm/auth-tokens';
import { ProblemException } from '@pm/problem';
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
  async validate(@Headers('authorization') authorization?: string): Promise<ValidateResponse> {
    const token = bearerToken(authorization);
    if (!token) throw ProblemException.unauthorized('A bearer access token is required');
    try {
      return ValidateResponse.from(await this.verifier.verify(token));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw ProblemException.unauthorized('The access token is invalid or expired');
      if (error instanceof TokenVerificationUnavailableError) throw ProblemException.serviceUnavailable('Access tokens cannot be verified right now');
      throw error;
    }
  }
}
