import { z } from '@hono/zod-openapi';
import { ProblemError } from './problem.js';

/** Every list route pages with these bounds, so no request can ask the database for an unbounded result. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** A cursor is a small position; anything longer was not issued by us. */
const MAX_CURSOR_LENGTH = 2048;

export const pageSizeSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .openapi({ description: `Page size, at most ${MAX_PAGE_SIZE}`, example: DEFAULT_PAGE_SIZE });

export const cursorSchema = z
  .string()
  .max(MAX_CURSOR_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor')
  .optional()
  .openapi({ description: 'The `nextCursor` of the previous page' });

/** Query parameters of a keyset-paginated list; extend it with the route's filters. */
export const pageQuerySchema = z.object({ limit: pageSizeSchema, cursor: cursorSchema });

/** A keyset position (the sort key of the last row served) as an opaque base64url string. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** The position inside a cursor, validated; a cursor that was tampered with or is stale is a 422. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) {
    throw new ProblemError(422, 'Invalid cursor', {
      detail: 'Pass back the nextCursor of a previous page unchanged',
      errors: [{ pointer: '/cursor', field: 'cursor', message: 'not a cursor issued by this list' }],
    });
  }
  return parsed.data;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that another page exists, and the
 * cursor points after the last row served.
 */
export function pageOf<T>(rows: readonly T[], limit: number, positionOf: (row: T) => Record<string, unknown>): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
