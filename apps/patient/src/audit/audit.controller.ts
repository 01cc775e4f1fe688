import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { PatientIdPipe } from '../patients/shared/patient-id.pipe';
import { AuditActions, AuditOutcomes, AuditQuery } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';
import { DEFAULT_AUDIT_PAGE_SIZE, MAX_AUDIT_PAGE_SIZE, parseAuditQuery } from './dto/audit-query';
import { AuditEntryResponse, AuditPageResponse } from './dto/audit-entry.response';

const PageQuery = ApiQuery({ name: 'page', required: false, description: 'Counts from 1', example: 1 });
const SizeQuery = ApiQuery({ name: 'size', required: false, description: `1 to ${MAX_AUDIT_PAGE_SIZE}`, example: DEFAULT_AUDIT_PAGE_SIZE });

@ApiTags('audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get('audit')
  @Access('GET /audit')
  @ApiOperation({
    summary: 'The audit trail of patient records, newest first, filtered',
    description:
      'Every read, list (and search), create, update, delete and restore of patient records, and every refused attempt (outcome DENIED). ' +
      'An allowed request answers only once its entry is written.',
  })
  @ApiQuery({ name: 'patientId', required: false, description: 'Entries about this patient' })
  @ApiQuery({ name: 'actorId', required: false, description: 'Entries of this user' })
  @ApiQuery({ name: 'action', required: false, enum: AuditActions })
  @ApiQuery({ name: 'outcome', required: false, enum: AuditOutcomes })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 date-time with offset, inclusive' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 date-time with offset, exclusive' })
  @PageQuery
  @SizeQuery
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiBadRequestResponse({ description: 'A filter or paging parameter is invalid; `errors` names it' })
  async search(@Query() raw: Record<string, unknown>): Promise<AuditPageResponse> {
    return this.page(parseAuditQuery(raw));
  }

  @Get('patients/:id/access-log')
  @Access('GET /patients/{id}/access-log')
  @ApiOperation({
    summary: "Who has accessed a patient's record, newest first",
    description: 'The audit entries naming this patient (deleted patients included), allowed and refused.',
  })
  @PageQuery
  @SizeQuery
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiBadRequestResponse({ description: 'The id is not a UUID, or a paging parameter is invalid' })
  async accessLog(@Param('id', PatientIdPipe) id: string, @Query() raw: Record<string, unknown>): Promise<AuditPageResponse> {
    const { page, size } = parseAuditQuery({ page: raw.page, size: raw.size });
    return this.page({ patientId: id, page, size });
  }

  private async page(query: AuditQuery): Promise<AuditPageResponse> {
    const { entries, totalElements } = await this.audit.search(query);
    return { entries: entries.map(AuditEntryResponse.from), page: query.page, size: query.size, totalElements };
  }
}
