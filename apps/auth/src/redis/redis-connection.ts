import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import Redis from 'ioredis';
import type { AuthConfig } from '../config/auth.config';

/**
 * Auth's Redis connection: the token revocation list and the failed-login counters. It connects in
 * the background and keeps reconnecting; commands fail at once while it is down instead of
 * queueing, so an outage never stalls a request (revocation checks then answer from the local
 * copy, revocations wait in auth's database, login throttling lets logins through).
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AuthConfig) {
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      commandTimeout: 1000,
      // On shutdown, how long a closing socket may linger (ioredis' 2 s default delays the exit).
      disconnectTimeout: 500,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Failed reconnects are reported by readiness; they must not crash the process.
    this.client.on('error', () => undefined);
  }

  /** Resolves once connected, waiting for a connection attempt under way; rejects when it fails. */
  whenConnected(): Promise<void> {
    const { status } = this.client;
    if (status === 'ready') return Promise.resolve();
    if (status !== 'connecting' && status !== 'connect' && status !== 'reconnecting') {
      return Promise.reject(new Error(`Redis is not connected (${status})`));
    }
    return new Promise((resolve, reject) => {
      const settle = (error?: Error) => {
        this.client.off('ready', onReady);
        this.client.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onClose = () => settle(new Error('Redis closed the connection'));
      this.client.once('ready', onReady);
      this.client.once('close', onClose);
    });
  }

  /** Waits for the first connection (so the first requests find it ready) but never fails start-up. */
  async onModuleInit(): Promise<void> {
    await this.client.connect().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
