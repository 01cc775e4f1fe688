export class PrivateRedisServer {
  /** `port` 0 (the default) takes a free one at the first start and keeps it for restarts. */
  constructor(options?: { port?: number; name?: string });
  readonly port: number;
  readonly url: string;
  readonly logFile: string;
  /** Resolves with the milliseconds until it listened; rejects clearly when redis-server is missing. */
  start(options?: { timeoutMs?: number }): Promise<number>;
  /** SIGKILL: an outage; it comes back empty (no persistence). */
  stop(): Promise<void>;
}
