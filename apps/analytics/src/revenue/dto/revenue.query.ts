import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DateRangeQuery } from '../../common/date-range.query';

export class RevenueQuery extends DateRangeQuery {
  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code; the configured REVENUE_CURRENCY when absent' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;
}
