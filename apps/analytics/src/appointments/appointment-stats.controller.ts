import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { DateRangeQuery } from '../common/date-range.query';
import { AppointmentStatsService } from './appointment-stats.service';
import { AppointmentSummaryResponse } from './dto/appointment-summary.response';

@ApiTags('appointment analytics')
@ApiBearerAuth()
@Controller('analytics/appointments')
export class AppointmentStatsController {
  constructor(private readonly stats: AppointmentStatsService) {}

  @Get('summary')
  @Access('GET /analytics/appointments/summary')
  @ApiOperation({
    summary: 'Appointments by status and by doctor',
    description:
      'Appointments whose start falls on the days from..to (inclusive, UTC), counted in their current status, built from the ' +
      '`appointment` topic; eventually consistent with the appointment service.',
  })
  @ApiOkResponse({ type: AppointmentSummaryResponse })
  @ApiBadRequestResponse({ description: 'from or to missing, not a YYYY-MM-DD day, or to before from (problem+json naming the field)' })
  async summary(@Query() query: DateRangeQuery): Promise<AppointmentSummaryResponse> {
    return AppointmentSummaryResponse.from(await this.stats.summary(query.from, query.to));
  }
}
