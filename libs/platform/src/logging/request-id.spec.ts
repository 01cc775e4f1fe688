import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { IncomingMessage } from 'node:http';
import { LoggingModule } from './logging.module';
import { REQUEST_ID_HEADER, RequestId, acceptRequestId, requestIdFrom, requestIdOf } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it("keeps a caller's short plain id and replaces anything else with a new one", () => {
    expect(acceptRequestId('req-1.a:b_c')).toBe('req-1.a:b_c');
    expect(acceptRequestId(['first', 'second'])).toBe('first');
    for (const unsafe of [undefined, '', 'bad id "quoted" {json}', 'x'.repeat(129), 'a\nb', Buffer.from('req-1')]) {
      expect(acceptRequestId(unsafe)).toMatch(UUID);
    }
    expect(requestIdFrom({ headers: { [REQUEST_ID_HEADER]: 'from-header' } })).toBe('from-header');
  });

  it('reads the id the logger assigned, else the one echoed on the response, else the checked header', () => {
    const request = (id: unknown, header?: string) => ({ id, headers: header ? { [REQUEST_ID_HEADER]: header } : {} }) as IncomingMessage & { id?: unknown };
    const response = (id?: string) => ({ getHeader: () => id });
    expect(requestIdOf(request('assigned', 'sent'), response('echoed'))).toBe('assigned');
    expect(requestIdOf(request(undefined, 'sent'), response('echoed'))).toBe('echoed');
    expect(requestIdOf(request(undefined, 'sent'), response())).toBe('sent');
    expect(requestIdOf(request(undefined, 'not safe!'))).toMatch(UUID);
  });
});

@Controller()
class EchoController {
  @Get('id')
  id(@RequestId() requestId: string): { requestId: string } {
    return { requestId };
  }
}

@Module({ imports: [LoggingModule.forRoot({ serviceName: 'request-id-spec', level: 'silent' })], controllers: [EchoController] })
class EchoModule {}

describe('@RequestId() over HTTP', () => {
  it('hands the handler the id the response carries in X-Request-Id', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EchoModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const given = await fetch(`${url}/id`, { headers: { [REQUEST_ID_HEADER]: 'client-7' } });
      expect(await given.json()).toEqual({ requestId: 'client-7' });
      expect(given.headers.get(REQUEST_ID_HEADER)).toBe('client-7');
      const made = await fetch(`${url}/id`, { headers: { [REQUEST_ID_HEADER]: 'no good' } });
      const { requestId } = (await made.json()) as { requestId: string };
      expect(requestId).toMatch(UUID);
      expect(made.headers.get(REQUEST_ID_HEADER)).toBe(requestId);
    } finally {
      await app.close();
    }
  });
});
