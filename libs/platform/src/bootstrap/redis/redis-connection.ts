import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS_OPTIONS = Symbol('REDIS_OPTIONS');

export interface RedisOptions {
  url: string;
  /** How long one command may take before it fails (the caller then carries on without Redis). */
  commandTimeoutMs: number;
  /**
   * Start-up waits for the first connection (never failing it), so the first requests find it
   * ready; otherwise it connects in the background.
   */
  awaitFirstConnection: boolean;
}

/**
 * A service's Redis connection. It connects in the background and keeps reconnecting; commands
 * fail at once while it is down instead of queueing, so an outage never stalls a request (each
 * user of Redis decides what to do without it).
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;

  constructor(@Inject(REDIS_OPTIONS) private readonly options: RedisOptions) {
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: 2000,
      commandTimeout: options.commandTimeoutMs,
      // On shutdown, how long a closing socket may linger (ioredis' 2 s default delays the exit).
      disconnectTimeout: 500,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Failed reconnects are reported by readiness (RedisCheck); they must not crash the process.
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

  async onModuleInit(): Promise<void> {
    const connecting = this.client.connect().catch(() => undefined);
    if (this.options.awaitFirstConnection) await connecting;
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
