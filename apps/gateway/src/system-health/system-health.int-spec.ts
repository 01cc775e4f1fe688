import { startGateway, stubUrls, useGatewayHarness } from '../testing/gateway-test-env';
import { UPSTREAM_SERVICES } from '../routes/upstream-services';
import type { SystemHealth } from './system-health.service';

describe('gateway health (real upstream servers, real Redis)', () => {
  const harness = useGatewayHarness();

  const get = (path: string) => fetch(`${harness.gateway.url}${path}`);

  it('is live, and ready when Redis answers, without a token', async () => {
    expect((await get('/health/live')).status).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ details: { redis: { status: 'up' } } });
  });

  it('reports itself degraded (200, Redis down) for readiness when Redis is unreachable', async () => {
    const other = await startGateway({ ...stubUrls(harness.stubs), REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ready = await fetch(`${other.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', degraded: ['redis'], details: { redis: { status: 'down' } } });
    } finally {
      await other.app.close();
    }
  });

  it('reports the system up only while every service is ready, naming the one that is not', async () => {
    const allReady = await get('/health/system');
    expect(allReady.status).toBe(200);
    const up = (await allReady.json()) as SystemHealth;
    expect(up.status).toBe('up');
    for (const service of UPSTREAM_SERVICES) {
      expect(up.services[service]).toEqual({ status: 'up', httpStatus: 200, details: { database: { status: 'up' } } });
    }

    harness.stubs.billing.readyStatus = 503;
    const oneNotReady = await get('/health/system');
    harness.stubs.billing.readyStatus = 200;
    expect(oneNotReady.status).toBe(503);
    const down = (await oneNotReady.json()) as SystemHealth;
    expect(down.status).toBe('down');
    expect(down.services.billing).toEqual({ status: 'down', httpStatus: 503, details: { database: { status: 'down' } } });
    expect(down.services.patient.status).toBe('up');
    // The service's failure message names an internal host: it stays out of the answer.
    expect(JSON.stringify(down)).not.toContain('10.9.8.7');

    await harness.stubs.analytics.stop();
    const oneGone = await get('/health/system');
    expect(oneGone.status).toBe(503);
    expect(((await oneGone.json()) as SystemHealth).services.analytics).toEqual({ status: 'down', reason: 'unreachable' });
  });
});
