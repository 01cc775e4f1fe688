import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { UserIdPipe } from './user-id.pipe';
import { DoctorNotFoundError, UserErrors } from './user-management.errors';
import { UserManagementService } from './user-management.service';

export class DoctorResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;
}

/**
 * The doctors directory: whether a user id belongs to an active DOCTOR. The appointment service
 * asks it (with the booking caller's own token) before booking a doctor.
 */
@ApiTags('doctors')
@ApiBearerAuth()
@Controller('doctors')
export class DoctorsController {
  constructor(private readonly accounts: UserManagementService) {}

  @Get(':id')
  @Access('GET /doctors/{id}')
  @ApiOperation({ summary: 'An active doctor by user id; 404 when the user is not an active DOCTOR' })
  @ApiOkResponse({ type: DoctorResponse })
  @ApiNotFoundResponse({ description: 'No active user with the DOCTOR role has this id' })
  @ApiErrors(UserErrors.DoctorNotFound)
  async doctor(@Param('id', UserIdPipe) id: string): Promise<DoctorResponse> {
    const doctor = await this.accounts.activeDoctor(id);
    if (!doctor) throw new DoctorNotFoundError(id);
    return { id: doctor.id, email: doctor.email };
  }
}
