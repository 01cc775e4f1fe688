import { Controller, Get, INestApplication, Logger, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { LoggingModule } from './logging.module';
import { REQUEST_ID_HEADER } from './request-id';
import { safeErrorSummary } from './safe-error-summary';

interface LogLine {
  level: number;
  service: string;
  message: string;
  requestId?: string;
  [key: string]: unknown;
}

const PATIENT = { name: 'Jane Roe', email: 'jane.roe@example.com', address: '1 Privet Drive', dateOfBirth: '1980-02-03' };

@Controller()
class ProbeController {
  private readonly logger = new Logger('Probe');

  @Get('patients')
  list(@Query('q') _q: string) {
    // What a careless handler might log: the patient, a user's secrets and a driver error.
    this.logger.log({ patient: PATIENT, user: { password: 'hunter2', token: 'tok-123', refreshToken: 'ref-456' } }, 'Looked at a patient');
    const driverError = Object.assign(new Error('duplicate key'), { code: '23505', parameters: [PATIENT.name], detail: `Key (name)=(${PATIENT.name})` });
    this.logger.warn({ error: safeErrorSummary(driverError) }, 'Write refused');
    this.logger.log({ ...PATIENT, token: 'tok-flat' }, 'Logged flat');
    return { ok: true };
  }

  @Get('health/live')
  live() {
    return { status: 'ok' };
  }
}

/** The real logger (pino through nestjs-pino) behind a real HTTP server; its lines are read back. */
describe('LoggingModule (real HTTP server, real pino)', () => {
  let app: INestApplication;
  let baseUrl: string;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [LoggingModule.forRoot({ serviceName: 'probe', level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } })],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    await response.arrayBuffer();
    return response;
  };

  const waitForCompleted = async (count: number) => {
    for (let i = 0; i < 100 && lines.filter((l) => l.message === 'request completed').length < count; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it("puts the caller's request id on every line of its request and echoes it in the response", async () => {
    const response = await get('/patients?q=Roe', { [REQUEST_ID_HEADER]: 'req-abc.1' });
    await waitForCompleted(1);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('req-abc.1');
    expect(lines.map((l) => l.message)).toEqual(['Looked at a patient', 'Write refused', 'Logged flat', 'request completed']);
    for (const line of lines) expect([line.service, line.requestId]).toEqual(['probe', 'req-abc.1']);
  });

  it('makes up an id when the caller sends none, or one that could inject into logs', async () => {
    const none = await get('/patients');
    const unsafe = await get('/patients', { [REQUEST_ID_HEADER]: 'bad id\twith "quotes"' });
    await waitForCompleted(2);
    const ids = [none.headers.get(REQUEST_ID_HEADER), unsafe.headers.get(REQUEST_ID_HEADER)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(new Set(lines.map((l) => l.requestId))).toEqual(new Set(ids));
  });

  it('never writes patient data, credentials, headers or the query string', async () => {
    await get('/patients?q=Jane%20Roe', { authorization: 'Bearer secret-token', cookie: 'session=s3cr3t', [REQUEST_ID_HEADER]: 'req-redact' });
    await waitForCompleted(1);
    const text = JSON.stringify(lines);
    for (const value of [...Object.values(PATIENT), 'Jane%20Roe', 'hunter2', 'tok-123', 'tok-flat', 'ref-456', 'secret-token', 's3cr3t']) {
      expect(text).not.toContain(value);
    }
    const looked = lines.find((l) => l.message === 'Looked at a patient')!;
    expect(looked.patient).toEqual({ name: '[redacted]', email: '[redacted]', address: '[redacted]', dateOfBirth: '[redacted]' });
    expect(looked.user).toEqual({ password: '[redacted]', token: '[redacted]', refreshToken: '[redacted]' });
    const flat = lines.find((l) => l.message === 'Logged flat')!;
    expect([flat.name, flat.email, flat.address, flat.dateOfBirth, flat.token]).toEqual(Array(5).fill('[redacted]'));
    const completed = lines.find((l) => l.message === 'request completed')!;
    expect(completed.req).toEqual({ id: 'req-redact', method: 'GET', path: '/patients' });
    expect(completed.res).toEqual({ statusCode: 200 });
  });

  it('keeps a driver error to its type, message and code', async () => {
    await get('/patients');
    await waitForCompleted(1);
    const refused = lines.find((l) => l.message === 'Write refused')!;
    expect(Object.keys(refused.error as object).sort()).toEqual(['code', 'message', 'stack', 'type']);
    expect(refused.error).toMatchObject({ type: 'Error', message: 'duplicate key', code: '23505' });
  });

  it('does not log health probes', async () => {
    await get('/health/live');
    await get('/patients');
    await waitForCompleted(1);
    expect(lines.filter((l) => l.message === 'request completed').map((l) => (l.req as { path: string }).path)).toEqual(['/patients']);
  });
});
