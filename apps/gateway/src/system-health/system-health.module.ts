import { Module } from '@nestjs/common';
import { UpstreamsModule } from '../routes/upstreams.module';
import { SystemHealthController } from './system-health.controller';
import { SystemHealthService } from './system-health.service';
import { UpstreamHealthClient } from './upstream-health.client';

@Module({
  imports: [UpstreamsModule],
  controllers: [SystemHealthController],
  providers: [UpstreamHealthClient, SystemHealthService],
})
export class SystemHealthModule {}
