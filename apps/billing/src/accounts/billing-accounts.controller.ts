import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { BillingAccountErrors, BillingAccountNotFoundError } from './billing-accounts.errors';
import { BillingAccountsService } from './billing-accounts.service';
import { BillingAccountResponse } from './dto/billing-account.response';

/** Who may do what (contract): billing is ADMIN's and BILLING's alone. */
@ApiTags('billing accounts')
@ApiBearerAuth()
@Controller('billing/accounts')
export class BillingAccountsController {
  constructor(private readonly accounts: BillingAccountsService) {}

  @Get(':patientId')
  @Access('GET /billing/accounts/{patientId}')
  @ApiOperation({ summary: "A patient's billing account" })
  @ApiOkResponse({ type: BillingAccountResponse })
  @ApiNotFoundResponse({ description: 'The patient has no billing account' })
  @ApiErrors(BillingAccountErrors.NotFound)
  async byPatient(@Param('patientId', new ParseUUIDPipe()) patientId: string): Promise<BillingAccountResponse> {
    const account = await this.accounts.findByPatient(patientId);
    if (!account) throw new BillingAccountNotFoundError(patientId);
    return BillingAccountResponse.from(account, this.accounts.balanceOf(account));
  }
}
