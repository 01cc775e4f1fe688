import { Module } from '@nestjs/common';
import { AuditDenialsPublisher } from './audit-denials.publisher';
import { RefusalAuditMiddleware } from './refusal-audit.middleware';

/** The audit of refusals the gateway decides on patient routes (Kafka `audit-denials`). */
@Module({
  providers: [AuditDenialsPublisher, RefusalAuditMiddleware],
  exports: [RefusalAuditMiddleware, AuditDenialsPublisher],
})
export class RefusalAuditModule {}
