import { Module } from '@nestjs/common';
import { AccountRequestsConsumer } from './account-requests.consumer';
import { BillingAccountsController } from './billing-accounts.controller';
import { BillingAccountsGrpcServer } from './billing-accounts.grpc';
import { BillingAccountsRepository } from './billing-accounts.repository';
import { BillingAccountsService } from './billing-accounts.service';

@Module({
  controllers: [BillingAccountsController],
  providers: [BillingAccountsRepository, BillingAccountsService, BillingAccountsGrpcServer, AccountRequestsConsumer],
  // Invoicing opens a missing account through the very same idempotent statement.
  exports: [BillingAccountsRepository],
})
export class BillingAccountsModule {}
