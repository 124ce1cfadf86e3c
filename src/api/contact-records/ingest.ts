import { MAX_CONTACT_RECORD_CHARS, contactRecordSchema, conversationKeyOf } from '../../domain/contact-record.js';
import { conversationIdFor } from '../../lib/ids.js';
import { engineFailureOf } from '../../temporal/failures.js';
import { AMAZON_CONNECT_SOURCE, captureContactRecordUpdate } from '../../workflows/conversation-lifecycle.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import { LifecycleDeadlineError, updateOrStartConversation } from '../lifecycle-client.js';
import { CaptureSaturatedError, type CaptureAdmission } from './admission.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError, zodIssues, type Problem } from '../problem.js';
import { FailureType } from '../../domain/failures.js';

export const CONTACT_RECORD_SOURCE = AMAZON_CONNECT_SOURCE;

export interface RecordResult {
  index: number;
  contactId: string | null;
  conversationId: string | null;
  status: 'created' | 'updated' | 'duplicate' | 'stale' | 'rejected' | 'disposed' | 'failed';
  errors?: NonNullable<Problem['errors']>;
}

function contactIdOf(raw: unknown): string | null {
  const value = (raw as { ContactId?: unknown } | null)?.ContactId;
  return typeof value === 'string' ? value : null;
}

/**
 * Hands one delivered record to its conversation's lifecycle workflow, starting the workflow if this is
 * the conversation's first record (update-with-start: one round trip, no race between start and update).
 * Throws CaptureSaturatedError when the record was not confirmed before the request's deadline.
 */
export async function ingestContactRecord(
  deps: ApiDeps,
  raw: unknown,
  index: number,
  context: RequestContext,
  admission: { limit: CaptureAdmission; deadline: Date },
): Promise<RecordResult> {
  const parsed = contactRecordSchema.safeParse(raw);
  if (!parsed.success) {
    return { index, contactId: contactIdOf(raw), conversationId: null, status: 'rejected', errors: zodIssues(parsed.error) };
  }
  if (JSON.stringify(raw).length > MAX_CONTACT_RECORD_CHARS) {
    return { index, contactId: contactIdOf(raw), conversationId: null, status: 'rejected', errors: [{ pointer: '', field: '(record)', message: `A contact record may be at most ${MAX_CONTACT_RECORD_CHARS} characters of JSON` }] };
  }
  const externalKey = conversationKeyOf(parsed.data);
  const conversationId = conversationIdFor(CONTACT_RECORD_SOURCE, externalKey);
  try {
    const result = await admission.limit.withSlot(admission.deadline, () =>
      updateOrStartConversation(
        deps,
        { id: conversationId, source: CONTACT_RECORD_SOURCE, externalKey },
        captureContactRecordUpdate,
        { context, record: raw as Record<string, unknown> },
        { deadline: admission.deadline },
      ),
    );
    return { index, contactId: result.contactId, conversationId, status: result.outcome };
  } catch (error) {
    if (error instanceof LifecycleDeadlineError) throw new CaptureSaturatedError(admission.limit.retryAfterSeconds);
    // Deleted is final: the record is answered as such, never captured again (closed or still closing lifecycle).
    if (error instanceof ProblemError && error.status === 410) {
      return { index, contactId: parsed.data.ContactId, conversationId, status: 'disposed', errors: [{ pointer: '', field: '(record)', message: error.extra.detail ?? 'conversation was deleted' }] };
    }
    const failure = engineFailureOf(error);
    if (!failure) throw error;
    return {
      index,
      contactId: parsed.data.ContactId,
      conversationId,
      status: failure.type === 'InvalidInput' ? 'rejected' : failure.type === FailureType.ConversationDisposed ? 'disposed' : 'failed',
      errors: [{ pointer: '', field: '(record)', message: failure.message }],
    };
  }
}
