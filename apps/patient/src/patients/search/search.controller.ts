import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { AuditInterceptor, Audited } from '../../audit/audited';
import { PatientContactResponse, PatientPageResponse, PatientResponse } from '../shared/dto/patient.response';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SortablePatientFields } from './dto/list-patients.query';
import { SearchService } from './search.service';

/** GET /patients: a page of patients, sorted or searched. */
@ApiTags('patients')
@ApiBearerAuth()
@ApiExtraModels(PatientResponse, PatientContactResponse)
@Controller('patients')
@UseInterceptors(AuditInterceptor)
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @Access('GET /patients')
  @Audited('LIST')
  @ApiOperation({
    operationId: 'PatientsController_list',
    summary: 'A page of patients, sorted, optionally filtered by name or email',
    description: 'BILLING gets id, name, email and address of each patient only, and may sort by name and email only.',
  })
  @ApiQuery({ name: 'page', required: false, description: 'Counts from 1', example: 1 })
  @ApiQuery({ name: 'size', required: false, description: `1 to ${MAX_PAGE_SIZE}`, example: DEFAULT_PAGE_SIZE })
  @ApiQuery({ name: 'sort', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'sortField', required: false, enum: SortablePatientFields, description: 'Encrypted fields (address, dateOfBirth) cannot be sorted by; BILLING sorts by name or email only' })
  @ApiQuery({ name: 'searchValue', required: false, description: 'Part of a name or email, any case' })
  @ApiOkResponse({ type: PatientPageResponse })
  @ApiBadRequestResponse({ description: 'A paging or sorting parameter is invalid; `errors` names it' })
  list(@Query() rawQuery: Record<string, unknown>, @CurrentUser() caller: AccessTokenClaims): Promise<PatientPageResponse> {
    return this.search.list(rawQuery, caller.role);
  }
}
