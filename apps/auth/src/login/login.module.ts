import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { LoginController } from './login.controller';
import { LoginMetrics } from './login.metrics';
import { LoginService } from './login.service';

@Module({
  imports: [UsersModule, TokensModule],
  controllers: [LoginController],
  providers: [LoginService, LoginMetrics],
})
export class LoginModule {}
