import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { behindGatewaySchema, bodyLimitSchema, httpSchema, runtimeSchema } from '../config';
import { createServer } from 'node:net';
import { z } from 'zod';
import { CoreModule } from './core.module';
import { runService } from './run-service';

const schema = runtimeSchema.extend(httpSchema(0).shape).extend(bodyLimitSchema.shape).extend(behindGatewaySchema.shape);
type ProbeConfig = z.infer<typeof schema>;

@Controller('probe')
class ProbeController {
  @Get()
  probe(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
class ProbeModule {
  static registered?: ProbeConfig;

  static register(config: ProbeConfig): DynamicModule {
    ProbeModule.registered = config;
    return { module: ProbeModule, imports: [CoreModule.forRoot({ serviceName: 'probe', config })], controllers: [ProbeController] };
  }
}

describe('runService', () => {
  const savedEnv = { ...process.env };
  let exit: jest.SpyInstance;
  let stderr: jest.SpyInstance;

  beforeEach(() => {
    process.env = { ...savedEnv, LOG_LEVEL: 'silent', HTTP_HOST: '127.0.0.1', HTTP_PORT: '0' };
    // Recorded, not obeyed: the test runner's process must not end.
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    process.env = savedEnv;
    exit.mockRestore();
    stderr.mockRestore();
  });

  it('loads the configuration, hands it to the module and serves its routes and OpenAPI document', async () => {
    process.env.MAX_BODY_BYTES = '2048';
    const app = await runService({ name: 'probe', schema, module: ProbeModule, openApi: { title: 'Probe service', description: 'A probe' } });
    try {
      expect(app).toBeDefined();
      expect(ProbeModule.registered).toMatchObject({ HTTP_HOST: '127.0.0.1', MAX_BODY_BYTES: 2048, TRUSTED_PROXIES: ['loopback'] });
      const url = (await app!.getUrl()).replace('[::1]', '127.0.0.1');
      expect(await (await fetch(`${url}/probe`)).json()).toEqual({ ok: true });
      const document = (await (await fetch(`${url}/api-docs`)).json()) as { info: { title: string }; paths: Record<string, unknown> };
      expect(document.info.title).toBe('Probe service');
      expect(Object.keys(document.paths)).toContain('/probe');
      expect(exit).not.toHaveBeenCalled();
    } finally {
      await app?.close();
    }
  });

  it('ends with exit code 1 and a message naming the bad variable when the configuration is invalid', async () => {
    process.env.HTTP_PORT = 'not-a-port';
    await runService({ name: 'probe', schema, module: ProbeModule, openApi: { title: 'Probe', description: '' } });
    expect(exit).toHaveBeenNthCalledWith(1, 1);
    expect(String(stderr.mock.calls[0][0])).toMatch(/^Invalid configuration for probe: HTTP_PORT: /);
  });

  it('ends with exit code 1 and one JSON log line when the service cannot start', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      process.env.HTTP_PORT = String((taken.address() as { port: number }).port);
      const app = await runService({ name: 'probe', schema, module: ProbeModule, openApi: { title: 'Probe', description: '' } });
      expect(app).toBeUndefined();
      expect(exit).toHaveBeenCalledWith(1);
      const line = JSON.parse(String(stderr.mock.calls.at(-1)![0])) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 60, service: 'probe', message: 'Service failed to start', err: { message: expect.stringContaining('EADDRINUSE') } });
    } finally {
      taken.close();
    }
  });

  it('accepts only a configuration with the HTTP server settings', () => {
    const withoutHttp = runtimeSchema;
    // @ts-expect-error HTTP_HOST, HTTP_PORT and MAX_BODY_BYTES are missing from the schema
    const start = () => runService({ name: 'x', schema: withoutHttp, module: { register: () => ({ module: ProbeModule }) }, openApi: { title: 'x', description: '' } });
    expect(typeof start).toBe('function');
  });
});
