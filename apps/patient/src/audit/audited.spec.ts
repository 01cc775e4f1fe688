import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { HttpArgumentsHost } from '@nestjs/common/interfaces';
import { typedFake } from '@pm/testing';
import type { Request, Response } from 'express';
import { lastValueFrom, of, throwError } from 'rxjs';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditTrail } from './audit-trail';
import { AuditInterceptor, Audited } from './audited';

class Handlers {
  @Audited('READ')
  read(): void {}

  unaudited(): void {}
}

describe('AuditInterceptor', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  let recorded: NewAuditEntry[];
  let interceptor: AuditInterceptor;

  beforeEach(() => {
    recorded = [];
    interceptor = new AuditInterceptor(new Reflector(), typedFake<AuditTrail>({ record: async (entry: NewAuditEntry) => void recorded.push(entry) }));
  });

  const contextFor = (handler: () => void, request: Partial<Request>) =>
    typedFake<ExecutionContext>({
      getHandler: () => handler,
      switchToHttp: () => typedFake<HttpArgumentsHost>({ getRequest: <T>() => request as T, getResponse: <T>() => typedFake<Response>({ getHeader: () => undefined }) as T }),
    });
  const answering = (body: unknown) => typedFake<CallHandler>({ handle: () => of(body) });

  it('lets a route that is not @Audited through without an entry', async () => {
    await expect(lastValueFrom(interceptor.intercept(contextFor(Handlers.prototype.unaudited, { id: 'req-1' }), answering({ id: patientId })))).resolves.toEqual({ id: patientId });
    expect(recorded).toEqual([]);
  });

  it('records a request without a user, route params or client address with nulls, naming the patient returned', async () => {
    await lastValueFrom(interceptor.intercept(contextFor(Handlers.prototype.read, { id: 'req-2' }), answering({ id: patientId })));
    expect(recorded).toEqual([
      expect.objectContaining({ action: 'READ', actorId: null, actorRole: null, patientIds: [patientId], requestId: 'req-2', sourceIp: null, outcome: 'ALLOWED' }),
    ]);
  });

  it('records a failed request too, then lets its error through', async () => {
    const failing = typedFake<CallHandler>({ handle: () => throwError(() => new Error('not found')) });
    const request = { id: 'req-3', params: { id: patientId }, ip: '10.0.0.1', user: { userId: 'u-1', role: 'DOCTOR' } } as Partial<Request>;
    await expect(lastValueFrom(interceptor.intercept(contextFor(Handlers.prototype.read, request), failing))).rejects.toThrow('not found');
    expect(recorded).toEqual([expect.objectContaining({ actorId: 'u-1', actorRole: 'DOCTOR', patientIds: [patientId], sourceIp: '10.0.0.1' })]);
  });
});
