import { z } from '@hono/zod-openapi';
import { isStorableText } from '../db/storable-text.js';
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

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A value a position may hold: a string PostgreSQL can take as a parameter, a finite number, a boolean or null. */
function isPlainValue(value: unknown): boolean {
  if (typeof value === 'string') return isStorableText(value);
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'boolean';
}

/**
 * The JSON object inside a cursor, or undefined for anything encodeCursor cannot have written: other
 * characters, a non-canonical encoding, bytes that are not UTF-8, text that is not JSON, anything but a flat
 * object of plain values. Each list's own schema then checks the keys and their types.
 */
function positionInside(cursor: string): unknown {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return undefined;
  return Object.values(decoded).every(isPlainValue) ? decoded : undefined;
}

/** The position inside a cursor, validated; a cursor that was tampered with or is stale is a 422. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(positionInside(cursor));
  if (!parsed.success) {
    throw new ProblemError(422, 'Invalid cursor', {
      detail: 'Pass back the nextCursor of a previous page unchanged',
      errors: [{ pointer: '/cursor', field: 'cursor', message: 'not a cursor issued by this list' }],
    });
  }
  return parsed.data;
}

const UTC_MICROS = /^(\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
/** The last year PostgreSQL's timestamptz holds whole. */
const LAST_YEAR = 294_275;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number) => (month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);

/** Whether `text` names a real instant that PostgreSQL can hold: no 30 February, no 24:00, no year 0. */
function isRealInstant(text: string): boolean {
  const match = UTC_MICROS.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || year > LAST_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return hour <= 23 && minute <= 59 && second <= 59;
}

/** A row's time as PostgreSQL prints it in a cursor: UTC with microseconds, e.g. 2026-11-20T10:00:00.123456Z. */
export const cursorTimestampSchema = z.string().refine(isRealInstant, 'not a UTC timestamp with microseconds');

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const DECIMAL_ID = /^(0|[1-9]\d{0,18})$/;

/** A bigint row id in a cursor, as decimal digits, within PostgreSQL's bigint. */
export const cursorBigintIdSchema = z.string().refine((id) => DECIMAL_ID.test(id) && BigInt(id) <= MAX_BIGINT, 'not a bigint id');

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says that another page exists, and the
 * cursor points after the last row served.
 */
export function pageOf<T>(rows: readonly T[], limit: number, positionOf: (row: T) => Record<string, unknown>): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null };
}
