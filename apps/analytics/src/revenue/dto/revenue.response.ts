import { ApiProperty } from '@nestjs/swagger';
import type { RevenueReport } from '../revenue.service';

export class RevenueDayResponse {
  @ApiProperty({ example: '2024-03-01' })
  day: string;

  @ApiProperty({ description: 'Minor units (e.g. cents)' })
  invoicedMinor: number;

  @ApiProperty({ description: 'Minor units (e.g. cents)' })
  collectedMinor: number;
}

export class RevenueResponse {
  @ApiProperty({ example: '2024-03-01' })
  from: string;

  @ApiProperty({ example: '2024-03-31' })
  to: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ description: 'Invoiced in the range, minor units' })
  invoicedMinor: number;

  @ApiProperty({ description: 'Collected in the range, minor units' })
  collectedMinor: number;

  @ApiProperty({ description: 'Invoiced minus collected over all time, minor units' })
  outstandingMinor: number;

  @ApiProperty({ type: [RevenueDayResponse], description: 'Days of the range with any revenue, in order' })
  days: RevenueDayResponse[];

  static from(report: RevenueReport): RevenueResponse {
    return { ...report, days: report.days.map((d) => ({ ...d })) };
  }
}
