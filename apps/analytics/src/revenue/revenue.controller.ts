import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/platform';
import type { AnalyticsConfig } from '../config/analytics.config';
import { RevenueQuery } from './dto/revenue.query';
import { RevenueResponse } from './dto/revenue.response';
import { RevenueService } from './revenue.service';

@ApiTags('revenue analytics')
@ApiBearerAuth()
@Controller('analytics/revenue')
export class RevenueController {
  constructor(
    private readonly revenue: RevenueService,
    @Inject(APP_CONFIG) private readonly config: Pick<AnalyticsConfig, 'REVENUE_CURRENCY'>,
  ) {}

  @Get()
  @Access('GET /analytics/revenue')
  @ApiOperation({
    summary: 'Revenue invoiced and collected per day',
    description:
      'Invoices issued and payments received on the days from..to (inclusive, UTC) in one currency, in integer minor units, ' +
      'and the outstanding balance (invoiced − collected over all time); built from the `billing` topic.',
  })
  @ApiOkResponse({ type: RevenueResponse })
  @ApiBadRequestResponse({ description: 'from, to or currency malformed, or to before from (problem+json naming the field)' })
  async report(@Query() query: RevenueQuery): Promise<RevenueResponse> {
    return RevenueResponse.from(await this.revenue.report(query.from, query.to, query.currency ?? this.config.REVENUE_CURRENCY));
  }
}
