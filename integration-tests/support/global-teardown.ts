import type { ChildProcess } from 'node:child_process';

/** Stops the end-to-end system (SIGTERM: the services shut down gracefully). */
export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { e2eSystem?: ChildProcess }).e2eSystem;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
