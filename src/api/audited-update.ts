import type { Context } from 'hono';
import { appendOutcome } from '../audit/audit-outcome.js';
import type { AppEnv } from './context.js';
import type { ApiDeps } from './deps.js';
import { ProblemError } from './problem.js';
import { requestContext } from './request-context.js';

/**
 * Runs a lifecycle update on behalf of the caller. Success is audited by the activity that made the
 * change, in its transaction; a refusal or failure is audited here, with the reason.
 */
export async function auditedUpdate<T>(
  deps: ApiDeps,
  c: Context<AppEnv>,
  audit: { activity: string; description: string; conversationId: string | null; details?: Record<string, unknown> },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const context = requestContext(c);
    const reason = error instanceof ProblemError ? `${error.title}: ${error.extra.detail ?? ''}` : error instanceof Error ? error.message : String(error);
    await appendOutcome(deps.db, {
      activity: audit.activity,
      result: 'FAIL',
      actor: context.actor,
      description: `${audit.description} refused`,
      details: { ...audit.details, error: reason },
      correlationId: context.correlationId,
      conversationId: audit.conversationId,
    });
    throw error;
  }
}
