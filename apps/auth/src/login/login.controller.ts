import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ProblemException } from '@pm/problem';
import { LoginRequest } from './dto/login.request';
import { LoginResponse } from './dto/login.response';
import { InvalidCredentialsError, LoginService } from './login.service';

@ApiTags('auth')
@Controller('login')
export class LoginController {
  constructor(private readonly logins: LoginService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange an email and password for an access token (compat)' })
  @ApiOkResponse({ type: LoginResponse })
  @ApiBadRequestResponse({ description: 'A missing or invalid field, named in `errors`' })
  @ApiUnauthorizedResponse({ description: 'Unknown email, wrong password or disabled account (one answer for all)' })
  async login(@Body() request: LoginRequest): Promise<LoginResponse> {
    try {
      return LoginResponse.from(await this.logins.login(request));
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw ProblemException.unauthorized(error.message);
      throw error;
    }
  }
}
