import { Controller, Inject, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/config';
import { Observable, interval, map, merge } from 'rxjs';
import type { AnalyticsConfig } from '../config/analytics.config';
import { AnalyticsUpdates } from './analytics-updates';

@ApiTags('analytics stream')
@ApiBearerAuth()
@Roles('ADMIN', 'ANALYST')
@Controller('analytics')
export class AnalyticsStreamController {
  constructor(
    private readonly updates: AnalyticsUpdates,
    @Inject(APP_CONFIG) private readonly config: Pick<AnalyticsConfig, 'STREAM_HEARTBEAT_MS'>,
  ) {}

  @Sse('stream')
  @ApiOperation({
    summary: 'Live updates (Server-Sent Events)',
    description:
      'One `data:` line of JSON per applied event: {type: "patients" | "appointments" | "revenue", day, ...}; re-read the ' +
      'summaries on it. A comment line (": heartbeat") every STREAM_HEARTBEAT_MS keeps proxies from closing an idle stream.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream, open until the client disconnects' })
  stream(): Observable<MessageEvent> {
    return merge(
      this.updates.updates.pipe(map((update): MessageEvent => ({ data: update }))),
      interval(this.config.STREAM_HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }))),
    );
  }
}
