import { Global, Module } from '@nestjs/common';
import { AnalyticsStreamController } from './analytics-stream.controller';
import { AnalyticsUpdates } from './analytics-updates';
import { StreamSession } from './stream-session';

/** Global: every aggregate service emits its updates into the one feed. */
@Global()
@Module({
  controllers: [AnalyticsStreamController],
  providers: [AnalyticsUpdates, StreamSession],
  exports: [AnalyticsUpdates],
})
export class AnalyticsStreamModule {}
