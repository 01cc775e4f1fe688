import { Module } from '@nestjs/common';
import { fieldCipherProvider } from '../crypto/field-cipher.provider';
import { AuditDenials } from './audit-denials';
import { AuditTrail } from './audit-trail';
import { AuditInterceptor } from './audited';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { GatewayDenialsConsumer } from './gateway-denials.consumer';

/** The audit trail of patient records: written before each request answers and from the gateway's refusals, read by ADMIN. */
@Module({
  controllers: [AuditController],
  providers: [fieldCipherProvider, AuditRepository, AuditTrail, AuditInterceptor, AuditDenials, GatewayDenialsConsumer],
  exports: [AuditTrail, AuditInterceptor],
})
export class AuditModule {}
