import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, type AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ProblemException } from '@pm/problem';
import { MeResponse } from './dto/user.response';
import { UserManagementService } from './user-management.service';
import { UserNotFoundError } from './user-management.errors';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly accounts: UserManagementService) {}

  @Get()
  @Access('GET /me')
  @ApiOperation({ summary: 'Who the bearer access token belongs to (read from the users table, so always current)' })
  @ApiOkResponse({ type: MeResponse })
  async me(@CurrentUser() caller: AccessTokenClaims): Promise<MeResponse> {
    try {
      return MeResponse.from(await this.accounts.get(caller.userId));
    } catch (error) {
      // A valid token of a user that no longer exists proves nothing about its bearer.
      if (error instanceof UserNotFoundError) throw ProblemException.unauthorized();
      throw error;
    }
  }
}
