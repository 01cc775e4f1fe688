import { Module } from '@nestjs/common';
import { UpstreamsModule } from '../routes/upstreams.module';
import { ApiDocsController } from './api-docs.controller';
import { ApiDocsService } from './api-docs.service';
import { UpstreamApiDocsClient } from './upstream-api-docs.client';

@Module({
  imports: [UpstreamsModule],
  controllers: [ApiDocsController],
  providers: [UpstreamApiDocsClient, ApiDocsService],
})
export class ApiDocsModule {}
