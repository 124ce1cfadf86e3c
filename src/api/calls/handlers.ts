import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { auditedCall } from '../../audit/write/audited.js';
import type { CallEvent } from '../../domain/call-segments.js';
import {
  LIVE_CALL_SOURCE,
  applyCallEventsUpdate,
  conversationWorkflowId,
  lifecycleStateQuery,
  tagActiveSegmentUpdate,
  untagActiveSegmentUpdate,
} from '../../workflows/conversation-lifecycle.contract.js';
import { auditedLifecycleUpdate } from '../lifecycle-client.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requireKnownTag } from '../known-tags.js';
import { toProblem, updateConversation, updateOrStartConversation } from '../lifecycle-client.js';
import { ProblemError } from '../problem.js';
import { callConversationId } from './call-id.js';
import { requestContext } from '../request-context.js';
import type { getCallRoute, postCallEventsRoute, tagActiveSegmentRoute, untagActiveSegmentRoute } from './routes.js';

export function callHandlers(deps: ApiDeps) {
  const postCallEvents: RouteHandler<typeof postCallEventsRoute, AppEnv> = async (c) => {
    const { callId } = c.req.valid('param');
    const body = c.req.valid('json');
    const context = requestContext(c);
    const conversationId = callConversationId(callId);
    const events = (Array.isArray(body) ? body : [body]).map((event) => (event.type === 'started' ? { ...event, callId } : event)) as CallEvent[];
    const result = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CALL_EVENTS_IMPORT',
        description: `${events.length} event(s) of call ${callId} received`,
        details: { callId, events: events.map((event) => `${event.eventId}:${event.type}`) },
        conversationId,
      },
      async () => {
        try {
          const value = await updateOrStartConversation(deps, { id: conversationId, source: LIVE_CALL_SOURCE, externalKey: callId }, applyCallEventsUpdate, { context, events });
          return { value, result: value.rejected.length === events.length ? 'FAIL' : 'OK', details: { applied: value.applied, duplicates: value.duplicates, rejected: value.rejected } };
        } catch (error) {
          throw toProblem(error);
        }
      },
    );
    if (result.applied.length === 0 && result.duplicates.length === 0) {
      throw new ProblemError(422, 'Call events rejected', {
        detail: result.rejected.map((rejection) => `${rejection.eventId}: ${rejection.message}`).join('; '),
        errors: result.rejected.map((rejection) => ({ pointer: '', field: rejection.eventId, message: rejection.message })),
      });
    }
    return c.json(result, 200);
  };
  const getCall: RouteHandler<typeof getCallRoute, AppEnv> = async (c) => {
    const { callId } = c.req.valid('param');
    const conversationId = callConversationId(callId);
    const context = requestContext(c);
    // The live state holds the customer's number: every read is audited, like a conversation lookup.
    const call = await auditedCall(
      deps.db,
      { ...context, activity: 'CONVERSATION_BY_ID', description: `Live call ${callId} looked up`, conversationId, details: { callId } },
      async () => {
        try {
          const state = await deps.temporal.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery);
          const value = state.call ? { conversationId, status: state.call.status, activeSegmentIndex: state.call.activeSegmentIndex, segments: state.call.segments } : undefined;
          return { value, result: value ? 'OK' : 'FAIL', details: value ? {} : { error: 'not a live call' } };
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return { value: undefined, result: 'FAIL', details: { error: 'not found' } };
          throw toProblem(error);
        }
      },
    );
    if (!call) throw new ProblemError(404, 'Call not found', { detail: `No call ${callId}` });
    return c.json(call, 200);
  };
  const tagActiveSegment: RouteHandler<typeof tagActiveSegmentRoute, AppEnv> = async (c) => {
    const { callId } = c.req.valid('param');
    const body = c.req.valid('json');
    const conversationId = callConversationId(callId);
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'CONVERSATION_EVENT_TAG_ADD', description: `Tag ${body.name} on the active segment of call ${callId}`, conversationId, details: { ...body, callId } },
      async () => {
        await requireKnownTag(deps, c, body.name);
        return updateConversation(deps, conversationId, tagActiveSegmentUpdate, { context: requestContext(c), ...body });
      },
    );
    return c.json(result, 200);
  };
  const untagActiveSegment: RouteHandler<typeof untagActiveSegmentRoute, AppEnv> = async (c) => {
    const { callId, name } = c.req.valid('param');
    const { source } = c.req.valid('query');
    const conversationId = callConversationId(callId);
    const result = await auditedLifecycleUpdate(
      deps,
      c,
      { activity: 'CONVERSATION_EVENT_TAG_REMOVE', description: `Tag ${name} removal on the active segment of call ${callId}`, conversationId, details: { name, source, callId } },
      () => updateConversation(deps, conversationId, untagActiveSegmentUpdate, { context: requestContext(c), name, source }),
    );
    return c.json(result, 200);
  };

  return { postCallEvents, getCall, tagActiveSegment, untagActiveSegment };
}
