import { Module } from '@nestjs/common';
import { BillingEventsHandler } from './billing-events.handler';
import { RevenueController } from './revenue.controller';
import { RevenueRepository } from './revenue.repository';
import { RevenueService } from './revenue.service';

@Module({
  controllers: [RevenueController],
  providers: [RevenueRepository, RevenueService, BillingEventsHandler],
  exports: [BillingEventsHandler],
})
export class RevenueModule {}
