import { Controller, Get, INestApplication, Injectable, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DependencyCheck } from './dependency-check';
import { HealthModule } from './health.module';
import { MetricsModule } from './metrics.module';
import { collectProcessMetrics, metricsRegistry } from './metrics.registry';

jest.setTimeout(20_000);

type State = 'up' | 'down' | 'hangs';
const states: Record<string, State> = { database: 'up', kafka: 'up', redis: 'up' };

const answer = (name: string): Promise<void> => {
  if (states[name] === 'down') return Promise.reject(new Error(`connect ECONNREFUSED ${name}.internal.example:5432`));
  if (states[name] === 'hangs') return new Promise(() => undefined);
  return Promise.resolve();
};

@Injectable()
class DatabaseProbe implements DependencyCheck {
  readonly name = 'database';
  check = () => answer(this.name);
}

@Injectable()
class KafkaProbe implements DependencyCheck {
  readonly name = 'kafka';
  check = () => answer(this.name);
}

@Injectable()
class RedisProbe implements DependencyCheck {
  readonly name = 'redis';
  readonly degradesOnly = true;
  check = () => answer(this.name);
}

@Controller('items')
class ItemsController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

/** The health and metrics endpoints every service mounts, on a real HTTP server. */
describe('HealthModule and MetricsModule (real HTTP server)', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    collectProcessMetrics('probe-service');
    const moduleRef = await Test.createTestingModule({
      imports: [HealthModule.register({ checks: [DatabaseProbe, KafkaProbe, RedisProbe] }), MetricsModule],
      controllers: [ItemsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    Object.assign(states, { database: 'up', kafka: 'up', redis: 'up' });
  });

  const get = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };
  const json = async (path: string) => {
    const response = await get(path);
    return { status: response.status, body: JSON.parse(response.text) };
  };

  describe('health', () => {
    it('is live whatever its dependencies say', async () => {
      Object.assign(states, { database: 'down', kafka: 'down', redis: 'down' });
      expect(await json('/health/live')).toEqual({ status: 200, body: { status: 'ok' } });
    });

    it('is ready (200) when every dependency answers, listing each as up', async () => {
      const { status, body } = await json('/health/ready');
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.details).toEqual({ database: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } });
    });

    it.each([
      ['the failing dependency', { kafka: 'down' }, 'Not ready: kafka unavailable', { database: { status: 'up' }, kafka: { status: 'down' }, redis: { status: 'up' } }],
      ['every failing dependency', { database: 'down', kafka: 'down', redis: 'down' }, 'Not ready: database, kafka unavailable', { database: { status: 'down' }, kafka: { status: 'down' }, redis: { status: 'down' } }],
    ] as const)('answers 503 naming %s, with names and states only', async (_, down, detail, details) => {
      Object.assign(states, down);
      const { status, body } = await json('/health/ready');
      expect(status).toBe(503);
      expect(body.detail).toBe(detail);
      expect(body.details).toEqual(details);
      // The driver's message names an internal host; it stays out of the answer.
      expect(JSON.stringify(body)).not.toContain('internal.example');
    });

    it('stays ready but degraded (200) while only a degrades-only dependency is down', async () => {
      states.redis = 'down';
      const { status, body } = await json('/health/ready');
      expect(status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.degraded).toEqual(['redis']);
      expect(body.details.redis).toEqual({ status: 'down' });
      expect(body.info).not.toHaveProperty('redis');
    });

    it('counts a dependency that does not answer within 2 s as down', async () => {
      states.database = 'hangs';
      const started = Date.now();
      const { status, body } = await json('/health/ready');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(status).toBe(503);
      expect(body.detail).toBe('Not ready: database unavailable');
    });
  });

  describe('metrics', () => {
    const sampleCount = (text: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && labels.split(',').every((label) => l.includes(label)));
      return line ? Number(line.split(' ').pop()) : 0;
    };

    it('times requests by method, route template and status, never by the id in the path', async () => {
      const before = (await get('/metrics')).text;
      await get('/items/123e4567-e89b-12d3-a456-426614174000');
      await get('/items/another-id');
      await get('/no/such/route');
      const { status, type, text } = await get('/metrics');
      expect(status).toBe(200);
      expect(type).toContain('text/plain');
      const route = 'method="GET",route="/items/:id",status_code="200"';
      expect(sampleCount(text, route) - sampleCount(before, route)).toBe(2);
      expect(sampleCount(text, 'route="unmatched",status_code="404"')).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('another-id');
      expect(text).not.toContain('123e4567');
    });

    it("labels every series with the service and includes the process's own metrics once", async () => {
      collectProcessMetrics('renamed-service'); // a second call changes nothing
      const { text } = await get('/metrics');
      expect(text).toMatch(/^process_cpu_user_seconds_total\{service="probe-service"\} /m);
      expect(text).toContain('service="probe-service"');
      expect(text).not.toContain('renamed-service');
      expect(await metricsRegistry.getMetricsAsJSON()).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'http_request_duration_seconds', type: 'histogram' })]),
      );
    });
  });
});
