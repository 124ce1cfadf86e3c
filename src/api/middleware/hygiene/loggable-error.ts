/**
 * What the server log may say about an unexpected error. A failed query's message holds its SQL and
 * parameters (customer numbers, addresses, search text) and a driver's message can quote a value, so
 * database errors are logged by name, SQLSTATE and stack frames only; others with their message.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: 'non-error thrown', type: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 15).join('\n');
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const sqlState = [error, cause].map((candidate) => (candidate as { code?: unknown } | undefined)?.code).find((code) => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code));
  const fromDatabase = sqlState !== undefined || /^Failed query:/.test(error.message) || error.name === 'DrizzleQueryError';
  return fromDatabase
    ? { error: error.name, sqlState, message: 'database error (query, parameters and values withheld)', frames }
    : { error: error.name, message: error.message.slice(0, 500), frames };
}
