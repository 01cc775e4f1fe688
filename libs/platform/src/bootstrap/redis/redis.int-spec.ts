import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { RedisCheck } from './redis.check';
import { RedisConnection, type RedisOptions } from './redis-connection';
import { RedisModule } from './redis.module';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedisModule(options: Partial<RedisOptions> = {}) {
  const moduleRef = await Test.createTestingModule({
    imports: [RedisModule.forRoot({ url: REDIS_URL, commandTimeoutMs: 1000, awaitFirstConnection: true, ...options })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, connection: app.get(RedisConnection), check: app.get(RedisCheck) };
}

describe('RedisModule against the real Redis', () => {
  it('connects before start-up ends, runs commands, reports up and disconnects on shutdown', async () => {
    const { app, connection, check } = await startRedisModule();
    try {
      expect(connection.client.status).toBe('ready');
      const key = `redis-int-spec:${randomUUID()}`;
      await connection.client.set(key, 'value', 'EX', 10);
      expect(await connection.client.get(key)).toBe('value');
      await connection.client.del(key);
      await expect(check.check()).resolves.toBeUndefined();
      expect(check).toMatchObject({ name: 'redis', degradesOnly: true });
    } finally {
      await app.close();
    }
    if (connection.client.status !== 'end') await new Promise((resolve) => connection.client.once('end', resolve));
    await expect(connection.whenConnected()).rejects.toThrow('Redis is not connected (end)');
  });

  it('connects in the background when start-up need not wait, and the check waits for that attempt', async () => {
    const { app, connection, check } = await startRedisModule({ awaitFirstConnection: false });
    try {
      await expect(check.check()).resolves.toBeUndefined();
      expect(connection.client.status).toBe('ready');
    } finally {
      await app.close();
    }
  });

  it('starts without Redis, reports it down, and fails commands at once instead of queueing them', async () => {
    const { app, connection, check } = await startRedisModule({ url: `redis://127.0.0.1:${await closedPort()}` });
    try {
      expect(connection.client.status).not.toBe('ready');
      await expect(check.check()).rejects.toThrow(/Redis/);
      const started = Date.now();
      await expect(connection.client.get('any')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await app.close();
    }
  });
});
