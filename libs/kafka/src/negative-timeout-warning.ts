let installed = false;

/**
 * KafkaJS 2.2.4 sometimes calls setTimeout with a negative delay, which Node 24 reports as a
 * TimeoutNegativeWarning on stderr (outside the JSON logs). It is harmless: Node uses 1 ms.
 */
export function ignoreKafkajsNegativeTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: unknown, ...rest: unknown[]) => {
    const options = rest[0] as { type?: string } | string | undefined;
    const type = typeof options === 'string' ? options : options?.type;
    if (type === 'TimeoutNegativeWarning') return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
