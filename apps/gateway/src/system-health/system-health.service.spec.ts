import type { UpstreamService } from '../routes/upstream-services';
import { READINESS_TIMEOUT_MS, SystemHealthService } from './system-health.service';
import type { ReadinessAnswer, UpstreamHealthClient } from './upstream-health.client';
import { typedFake } from '@pm/testing';

const ready = (dependency = 'database'): ReadinessAnswer => ({
  httpStatus: 200,
  body: { status: 'ok', info: { [dependency]: { status: 'up' } }, error: {}, details: { [dependency]: { status: 'up' } } },
});

class FakeUpstreamHealthClient implements Pick<UpstreamHealthClient, 'readiness'> {
  readonly answers = new Map<UpstreamService, ReadinessAnswer | Error>();
  readonly timeouts: number[] = [];

  async readiness(service: UpstreamService, timeoutMs: number): Promise<ReadinessAnswer> {
    this.timeouts.push(timeoutMs);
    const answer = this.answers.get(service) ?? ready();
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

describe('SystemHealthService', () => {
  let client: FakeUpstreamHealthClient;
  let service: SystemHealthService;

  beforeEach(() => {
    client = new FakeUpstreamHealthClient();
    service = new SystemHealthService(typedFake<UpstreamHealthClient>(client));
  });

  it('is up only when every service answers 200, and asks each one with the readiness timeout', async () => {
    const health = await service.check();
    expect(health.status).toBe('up');
    expect(Object.keys(health.services).sort()).toEqual(['analytics', 'appointment', 'auth', 'billing', 'patient']);
    expect(health.services.patient).toEqual({ status: 'up', httpStatus: 200, details: { database: { status: 'up' } } });
    expect(client.timeouts).toEqual(Array(5).fill(READINESS_TIMEOUT_MS));
  });

  it('is down when one service answers 503, naming it and its failing dependency without the message', async () => {
    client.answers.set('billing', {
      httpStatus: 503,
      body: {
        status: 'error',
        error: { database: { status: 'down', message: 'connect ECONNREFUSED 10.1.2.3:5432' } },
        details: { database: { status: 'down', message: 'connect ECONNREFUSED 10.1.2.3:5432' } },
      },
    });
    const health = await service.check();
    expect(health.status).toBe('down');
    expect(health.services.billing).toEqual({ status: 'down', httpStatus: 503, details: { database: { status: 'down' } } });
    expect(JSON.stringify(health)).not.toContain('10.1.2.3');
    expect(health.services.auth.status).toBe('up');
  });

  it('is degraded (still 200 for each) when a service serves without Redis, naming it', async () => {
    client.answers.set('patient', {
      httpStatus: 200,
      body: { status: 'degraded', degraded: ['redis'], details: { database: { status: 'up' }, redis: { status: 'down' } } },
    });
    const health = await service.check();
    expect(health.status).toBe('degraded');
    expect(health.services.patient).toEqual({ status: 'degraded', httpStatus: 200, details: { database: { status: 'up' }, redis: { status: 'down' } } });
    expect(health.services.billing.status).toBe('up');
  });

  it('is down when a service cannot be reached or stays silent', async () => {
    client.answers.set('auth', Object.assign(new Error('fetch failed'), { name: 'TypeError' }));
    client.answers.set('analytics', Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    const health = await service.check();
    expect(health.status).toBe('down');
    expect(health.services.auth).toEqual({ status: 'down', reason: 'unreachable' });
    expect(health.services.analytics).toEqual({ status: 'down', reason: `no answer within ${READINESS_TIMEOUT_MS} ms` });
  });

  it('counts any answer other than 200 as down, even one without a body', async () => {
    client.answers.set('appointment', { httpStatus: 500, body: undefined });
    const health = await service.check();
    expect(health.status).toBe('down');
    expect(health.services.appointment).toEqual({ status: 'down', httpStatus: 500 });
  });
});
