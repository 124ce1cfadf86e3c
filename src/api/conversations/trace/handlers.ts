import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../../audit/write/audited.js';
import { buildConversationTrace } from '../../../audit/read/trace-build.js';
import { traceText } from '../../../audit/read/trace-text.js';
import { fetchWorkflowHistory } from '../../../temporal/workflow-history.js';
import { conversationWorkflowId } from '../../../workflows/conversation-lifecycle.contract.js';
import { requestTimeZone } from '../../audit/time-zone.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import type { getConversationTraceRoute } from './routes.js';

export function conversationTraceHandlers(deps: ApiDeps) {
  const getConversationTrace: RouteHandler<typeof getConversationTraceRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const { format, timeZone: requested } = c.req.valid('query');
    const timeZone = requestTimeZone(c, requested);
    const context = requestContext(c);
    const trace = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CONVERSATION_TRACE',
        description: `Lifecycle trace of conversation ${conversationId} viewed`,
        details: { format },
        conversationId,
      },
      async () => {
        const readWorkflowHistory = (workflowId: string | null) => fetchWorkflowHistory(deps.temporal.client, workflowId ?? conversationWorkflowId(conversationId));
        const value = await buildConversationTrace({ db: deps.db, readWorkflowHistory }, conversationId, timeZone);
        return value
          ? { value, details: { steps: value.steps.length, workflowRuns: value.workflow.runs.length } }
          : { value, result: 'FAIL', details: { error: 'not found' } };
      },
    );
    if (!trace) throw new ProblemError(404, 'Conversation not found', { detail: `Nothing is known about conversation ${conversationId}` });
    if (format === 'text') return c.text(traceText(trace), 200);
    return c.json(trace, 200);
  };

  return { getConversationTrace };
}
