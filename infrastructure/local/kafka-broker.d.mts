export class PrivateKafkaBroker {
  constructor(options: { port: number; name?: string; log?: (line: string) => void });
  readonly brokers: string[];
  readonly logFile: string;
  /** Resolves with the milliseconds until the broker was ready. */
  start(options?: { fresh?: boolean; timeoutMs?: number }): Promise<number>;
  stop(timeoutMs?: number): Promise<void>;
  kill(): Promise<void>;
}
