import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.js';

/** Raw SQL rows, typed by the caller; both drivers answer `execute` with `{ rows }`. */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
