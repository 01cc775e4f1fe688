import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { gatewayContext } from '../proxy/gateway-context';
import { AuditDenialsPublisher } from './audit-denials.publisher';
import { auditDenialOf } from './refusal-audit-policy';

/**
 * Pipeline step before the token check: once the answer is sent, a 401 or 403 the gateway itself
 * decided on a patient route (REST or FHIR) is queued for the patient service's audit trail. (Refusals by the
 * patient service are audited there.)
 */
@Injectable()
export class RefusalAuditMiddleware {
  constructor(private readonly denials: AuditDenialsPublisher) {}

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    const at = new Date();
    res.once('finish', () => {
      const context = gatewayContext(res);
      if (!context.refusedWith) return;
      const event = auditDenialOf({
        eventId: randomUUID(),
        at,
        status: context.refusedWith,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        query: req.originalUrl.split('?').slice(1).join('?'),
        actor: context.refusedWith === 403 ? context.accessToken : undefined,
        requestId: context.requestId,
        sourceIp: req.ip ?? req.socket.remoteAddress,
      });
      if (event) this.denials.record(event);
    });
    next();
  };
}
