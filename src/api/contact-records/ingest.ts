import { MAX_CONTACT_RECORD_CHARS, contactRecordReferenceOf, contactRecordSchema, conversationKeyOf, type ContactRecord } from '../../domain/contact-record.js';
import type { HeldContactRecord } from '../../contact-records/held-deliveries.js';
import { canonicalJson, sha256Hex } from '../../lib/digest.js';
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

/** A record that passed validation, with its conversation and the digest it is held under. */
export interface AcceptedContactRecord {
  index: number;
  record: ContactRecord;
  held: HeldContactRecord;
  externalKey: string;
}

/** Validates one delivered record at the edge: the workflow only ever sees a valid record's reference. */
export function acceptContactRecord(raw: unknown, index: number): AcceptedContactRecord | RecordResult {
  const parsed = contactRecordSchema.safeParse(raw);
  if (!parsed.success) {
    return { index, contactId: contactIdOf(raw), conversationId: null, status: 'rejected', errors: zodIssues(parsed.error) };
  }
  const json = canonicalJson(raw);
  if (json.length > MAX_CONTACT_RECORD_CHARS) {
    return { index, contactId: contactIdOf(raw), conversationId: null, status: 'rejected', errors: [{ pointer: '', field: '(record)', message: `A contact record may be at most ${MAX_CONTACT_RECORD_CHARS} characters of JSON` }] };
  }
  const externalKey = conversationKeyOf(parsed.data);
  const held = {
    payloadSha256: sha256Hex(json),
    conversationId: conversationIdFor(CONTACT_RECORD_SOURCE, externalKey),
    contactId: parsed.data.ContactId,
    record: raw as Record<string, unknown>,
  };
  return { index, record: parsed.data, held, externalKey };
}

/**
 * Hands one held record to its conversation's lifecycle workflow by reference, starting the workflow if
 * this is the conversation's first record (update-with-start: one round trip, no race between start and
 * update). Throws CaptureSaturatedError when the record was not confirmed before the request's deadline.
 */
export async function captureHeldContactRecord(
  deps: ApiDeps,
  accepted: AcceptedContactRecord,
  context: RequestContext,
  admission: { limit: CaptureAdmission; deadline: Date },
): Promise<RecordResult> {
  const { index, record, held, externalKey } = accepted;
  const conversationId = held.conversationId;
  try {
    const result = await admission.limit.withSlot(admission.deadline, () =>
      updateOrStartConversation(
        deps,
        { id: conversationId, source: CONTACT_RECORD_SOURCE, externalKey },
        captureContactRecordUpdate,
        { context, delivery: contactRecordReferenceOf(record, held.payloadSha256) },
        { deadline: admission.deadline },
      ),
    );
    return { index, contactId: result.contactId, conversationId, status: result.outcome };
  } catch (error) {
    if (error instanceof LifecycleDeadlineError) throw new CaptureSaturatedError(admission.limit.retryAfterSeconds);
    // Deleted is final: the record is answered as such, never captured again (closed or still closing lifecycle).
    if (error instanceof ProblemError && error.status === 410) {
      return { index, contactId: record.ContactId, conversationId, status: 'disposed', errors: [{ pointer: '', field: '(record)', message: error.extra.detail ?? 'conversation was deleted' }] };
    }
    const failure = engineFailureOf(error);
    if (!failure) throw error;
    return {
      index,
      contactId: record.ContactId,
      conversationId,
      status: failure.type === 'InvalidInput' ? 'rejected' : failure.type === FailureType.ConversationDisposed ? 'disposed' : 'failed',
      errors: [{ pointer: '', field: '(record)', message: failure.message }],
    };
  }
}
