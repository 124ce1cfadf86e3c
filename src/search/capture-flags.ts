import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { queryRows } from '../db/query-rows.js';
import { CAPTURE_FLAG_CODES, CAPTURE_FLAGS } from '../domain/contact-record.js';

export interface CaptureFlagCount {
  code: string;
  description: string;
  conversations: number;
}

/**
 * How many kept conversations carry each capture flag, every code listed (zero included) so a monitor can
 * alert on a change. Reads only the partial index of flagged conversations, which stays small.
 */
export async function countCaptureFlags(executor: Executor): Promise<CaptureFlagCount[]> {
  const rows = await queryRows<{ code: string; conversations: string }>(
    executor,
    sql`select flag as code, count(*) as conversations
        from conversations, unnest(capture_flags) as flag
        where capture_flags <> '{}'::text[]
        group by flag`,
  );
  const counted = new Map(rows.map((row) => [row.code, Number(row.conversations)]));
  const known = CAPTURE_FLAG_CODES.map((code) => ({ code, description: CAPTURE_FLAGS[code], conversations: counted.get(code) ?? 0 }));
  // A code an older or newer engine wrote is still counted.
  const other = rows.filter((row) => !(CAPTURE_FLAG_CODES as readonly string[]).includes(row.code)).map((row) => ({ code: row.code, description: row.code, conversations: Number(row.conversations) }));
  return [...known, ...other];
}
