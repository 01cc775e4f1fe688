import { Module } from '@nestjs/common';
import { BillingAccountsModule } from '../accounts/billing-accounts.module';
import { AppointmentEventsConsumer } from './appointment-events.consumer';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';

@Module({
  imports: [BillingAccountsModule],
  controllers: [InvoicesController],
  providers: [InvoicesRepository, InvoicesService, AppointmentEventsConsumer],
})
export class InvoicesModule {}
