import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { ThrottleListResponse, ThrottleResponse } from './dto/throttle.response';
import { LoginThrottle } from './login-throttle';
import { LoginErrors, LoginThrottleNotFoundError } from './login.errors';

const KEY = /^(pair|address|account):[^\s/]{1,300}$/;

@ApiTags('login throttles')
@ApiBearerAuth()
@Controller('throttles')
export class ThrottlesController {
  constructor(private readonly throttle: LoginThrottle) {}

  @Get()
  @Access('GET /throttles')
  @ApiOperation({
    summary: 'The login throttles in force now',
    description: 'Blocked account+address pairs, blocked addresses and slowed accounts. Never a password or an email.',
  })
  @ApiOkResponse({ type: ThrottleListResponse })
  @ApiServiceUnavailableResponse({ description: 'Redis is unavailable (each instance then throttles in memory, which cannot be listed)' })
  @ApiErrors(LoginErrors.ThrottlesUnavailable)
  async list(): Promise<ThrottleListResponse> {
    return { throttles: (await this.throttle.list()).map(ThrottleResponse.from) };
  }

  @Delete(':key')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('DELETE /throttles/{key}')
  @ApiOperation({ summary: 'Lift a login throttle', description: 'Forgets the failures behind it too, so logins start afresh.' })
  @ApiParam({ name: 'key', description: 'A `key` from GET /auth/throttles', example: 'address:198.51.100.7' })
  @ApiNoContentResponse({ description: 'Lifted' })
  @ApiNotFoundResponse({ description: 'No throttle has this key (it may have expired)' })
  @ApiErrors(LoginErrors.ThrottleNotFound)
  async clear(@Param('key') key: string): Promise<void> {
    if (!KEY.test(key) || !(await this.throttle.clear(key))) throw new LoginThrottleNotFoundError();
  }
}
