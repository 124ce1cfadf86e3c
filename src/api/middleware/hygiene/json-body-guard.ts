import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../context.js';
import { unstorableReason } from '../../../db/storable-text.js';
import { ProblemError } from '../../problem.js';

/** Real payloads nest a few levels (a contact record: about five); deeper JSON is an attack on parsers. */
export const MAX_JSON_DEPTH = 64;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([a-z0-9.+-]+\+)?json\b/i.test(contentType.trim());
}

/** Walks the value without recursion, so its own depth check cannot overflow the stack. */
function inspect(value: unknown): { pointer: string; message: string } | undefined {
  const pending: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: '', depth: 0 }];
  while (pending.length > 0) {
    const { value: current, pointer, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = unstorableReason(current);
      if (problem) return { pointer, message: `String ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { pointer, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(current)) {
      const childPointer = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const keyProblem = unstorableReason(key);
      if (keyProblem) return { pointer: childPointer, message: `Key ${keyProblem}` };
      pending.push({ value: child, pointer: childPointer, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses JSON bodies that would crash or corrupt something further down instead of being validated:
 * invalid UTF-8 (which would otherwise be silently replaced), syntax errors, pathological nesting, and
 * strings PostgreSQL cannot store. The body is read once; hono caches it for the route's validator.
 */
export function jsonBodyGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isJson(c.req.header('content-type')) || !c.req.raw.body) return next();
    const bytes = await c.req.arrayBuffer();
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      throw new ProblemError(400, 'Malformed request', { detail: 'The body is not valid UTF-8' });
    }
    if (text.trim() === '') return next();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ProblemError(400, 'Malformed request', { detail: `The body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}` });
    }
    const problem = inspect(value);
    if (problem) {
      const field = problem.pointer.slice(1).replaceAll('/', '.') || '(body)';
      throw new ProblemError(422, 'Invalid request', { detail: problem.message, errors: [{ pointer: problem.pointer || '/', field, message: problem.message }] });
    }
    return next();
  };
}
