/**
 * What an unexpected error may put in a log: its type, message, code and stack. Not its other
 * properties: a database error carries the query's parameters (patient data) and the server's
 * detail quotes values.
 */
export function safeErrorSummary(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const { code } = error as { code?: unknown };
  return { type: error.name, message: error.message, ...(code !== undefined ? { code } : {}), stack: error.stack };
}
