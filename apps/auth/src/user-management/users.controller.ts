import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Access, type AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ApiErrors, ForwardedPrefix } from '@pm/platform';
import type { Response } from 'express';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseListUsersQuery } from './dto/list-users.query';
import { ChangeRoleRequest, CreateUserRequest, ResetPasswordRequest } from './dto/user.requests';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { UserIdPipe } from './user-id.pipe';
import { UserManagementService } from './user-management.service';
import { UserErrors } from './user-management.errors';

const ENDS_SESSIONS = 'Every access and refresh token the user holds stops working at once.';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly accounts: UserManagementService) {}

  @Post()
  @Access('POST /users')
  @ApiOperation({ summary: 'Create a user', description: 'The password must pass the password policy.' })
  @ApiHeader({ name: 'X-Forwarded-Prefix', required: false, description: 'Set by the gateway; prefixes Location' })
  @ApiCreatedResponse({ type: UserResponse, headers: { Location: { description: 'The new user', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'Invalid email or role, or a weak password; `errors` names the field' })
  @ApiConflictResponse({ description: 'The email is taken' })
  @ApiErrors(UserErrors.WeakPassword, UserErrors.EmailTaken)
  async create(
    @Body() body: CreateUserRequest,
    @ForwardedPrefix() prefix: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UserResponse> {
    const user = await this.accounts.create({ email: body.email, password: body.password, role: body.role });
    response.setHeader('Location', `${prefix}/users/${user.id}`);
    return UserResponse.from(user);
  }

  @Get()
  @Access('GET /users')
  @ApiOperation({ summary: 'A page of users, ordered by email' })
  @ApiQuery({ name: 'page', required: false, description: 'Counts from 1', example: 1 })
  @ApiQuery({ name: 'size', required: false, description: `1 to ${MAX_PAGE_SIZE}`, example: DEFAULT_PAGE_SIZE })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiBadRequestResponse({ description: 'A bad page or size, named in `errors`' })
  async list(@Query() rawQuery: Record<string, unknown>): Promise<UserPageResponse> {
    const { page, size } = parseListUsersQuery(rawQuery);
    const { users, totalElements } = await this.accounts.list(page, size);
    return { users: users.map(UserResponse.from), page, size, totalElements };
  }

  @Get(':id')
  @Access('GET /users/{id}')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiErrors(UserErrors.NotFound)
  async get(@Param('id', UserIdPipe) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.get(id));
  }

  @Post(':id/disable')
  @HttpCode(HttpStatus.OK)
  @Access('POST /users/{id}/disable')
  @ApiOperation({ summary: 'Disable a user: no more logins', description: `${ENDS_SESSIONS} An admin cannot disable themselves.` })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'The admin tried to disable themselves' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiErrors(UserErrors.SelfLockout, UserErrors.NotFound)
  async disable(@CurrentUser() caller: AccessTokenClaims, @Param('id', UserIdPipe) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.disable(caller.userId, id));
  }

  @Post(':id/enable')
  @HttpCode(HttpStatus.OK)
  @Access('POST /users/{id}/enable')
  @ApiOperation({ summary: 'Enable a disabled user again (they log in anew)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiErrors(UserErrors.NotFound)
  async enable(@Param('id', UserIdPipe) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.enable(id));
  }

  @Put(':id/role')
  @Access('PUT /users/{id}/role')
  @ApiOperation({ summary: "Change a user's role", description: `${ENDS_SESSIONS} An admin cannot change their own role.` })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'An unknown role (`errors.role`), or the admin tried to change their own role' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiErrors(UserErrors.SelfLockout, UserErrors.NotFound)
  async changeRole(
    @CurrentUser() caller: AccessTokenClaims,
    @Param('id', UserIdPipe) id: string,
    @Body() body: ChangeRoleRequest,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.changeRole(caller.userId, id, body.role));
  }

  @Post(':id/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('POST /users/{id}/password')
  @ApiOperation({ summary: "Reset a user's password", description: `${ENDS_SESSIONS} The password must pass the password policy.` })
  @ApiNoContentResponse({ description: 'Password replaced' })
  @ApiBadRequestResponse({ description: 'A weak password, named in `errors.password`' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiErrors(UserErrors.WeakPassword, UserErrors.NotFound)
  async resetPassword(@Param('id', UserIdPipe) id: string, @Body() body: ResetPasswordRequest): Promise<void> {
    await this.accounts.resetPassword(id, body.password);
  }
}
