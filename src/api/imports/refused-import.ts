import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { appendOutcome } from '../../audit/write/audit-outcome.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { problem, zodIssues } from '../problem.js';
import { requestContext } from '../request-context.js';

/**
 * A route validation hook for imports: a refused import is audited under the import's activity, with the
 * offending fields, like an accepted one, and answered 422 naming them.
 */
export function auditedRefusal(deps: ApiDeps, activity: string, title: string) {
  return async (result: { success: true } | { success: false; error: ZodError }, c: Context<AppEnv>) => {
    if (result.success) return undefined;
    const context = requestContext(c);
    const errors = zodIssues(result.error);
    await appendOutcome(deps.db, {
      activity,
      result: 'FAIL',
      actor: context.actor,
      description: `${title}: refused`,
      details: { errors },
      correlationId: context.correlationId,
    });
    return problem(c, 422, title, { detail: `${errors[0]?.field}: ${errors[0]?.message}`, errors });
  };
}
