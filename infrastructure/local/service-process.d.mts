export class ServiceProcess {
  constructor(name: string, env: Record<string, string | number | boolean>, healthUrl: string, logFolder: string);
  readonly name: string;
  readonly logFile: string;
  /** Resolves with the milliseconds until the health URL answered 200. */
  start(timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}
