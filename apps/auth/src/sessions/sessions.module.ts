import { Module } from '@nestjs/common';
import { Clock } from '@pm/platform';
import { RevocationsModule } from '../revocations/revocations.module';
import { TokensModule } from '../tokens/tokens.module';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { SessionMetrics } from './session.metrics';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TokensModule, RevocationsModule],
  controllers: [SessionsController],
  providers: [RefreshTokensRepository, SessionsService, SessionMetrics, Clock],
  exports: [SessionsService],
})
export class SessionsModule {}
