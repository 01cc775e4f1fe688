import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { JwksResponse } from './dto/jwks.response';
import { SigningKeys } from './signing-keys';

// Short enough that a rotated-in key reaches verifiers quickly; they also refetch on an unknown kid.
const JWKS_MAX_AGE_SECONDS = 300;

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
  @Access('GET /.well-known/jwks.json')
  @ApiOperation({ summary: 'The public keys that verify access tokens (JWKS)', description: 'Public: no token needed.' })
  @ApiOkResponse({ type: JwksResponse })
  jwks(): JwksResponse {
    return { keys: this.keys.publicJwks.map((key) => ({ ...key })) };
  }
}
