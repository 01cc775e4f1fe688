import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { PatientSummaryResponse } from './dto/patient-summary.response';
import { PatientStatsService } from './patient-stats.service';

/** Who may do what (contract): analytics are read by ADMIN and ANALYST only. */
@ApiTags('patient analytics')
@ApiBearerAuth()
@Controller('analytics/patients')
export class PatientStatsController {
  constructor(private readonly stats: PatientStatsService) {}

  @Get('summary')
  @Access('GET /analytics/patients/summary')
  @ApiOperation({
    summary: 'Patient totals',
    description:
      'Patients present (created and not deleted) and the patient events of today (UTC), built from the `patient` topic; ' +
      'eventually consistent with the patient service.',
  })
  @ApiOkResponse({ type: PatientSummaryResponse })
  async summary(): Promise<PatientSummaryResponse> {
    return PatientSummaryResponse.from(await this.stats.summary());
  }
}
