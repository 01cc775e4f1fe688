import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class InvoicesQuery {
  @ApiProperty({ format: 'uuid', description: 'Whose invoices' })
  @IsUUID('all', { message: 'patientId must be a UUID' })
  patientId: string;
}
