import { Module } from '@nestjs/common';
import { TokensModule } from '../tokens/tokens.module';
import { RevocationsRepository } from './revocations.repository';
import { RevocationsService } from './revocations.service';

@Module({
  imports: [TokensModule],
  providers: [RevocationsRepository, RevocationsService],
  exports: [RevocationsService],
})
export class RevocationsModule {}
