import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { MeResponse } from './dto/user.response';
import { UserManagementService } from './user-management.service';
import { UserErrors } from './user-management.errors';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly accounts: UserManagementService) {}

  @Get()
  @Access('GET /me')
  @ApiOperation({ summary: 'Who the bearer access token belongs to (read from the users table, so always current)' })
  @ApiOkResponse({ type: MeResponse })
  @ApiErrors(UserErrors.TokenUserGone)
  async me(@CurrentUser() caller: AccessTokenClaims): Promise<MeResponse> {
    return MeResponse.from(await this.accounts.currentUser(caller.userId));
  }
}
