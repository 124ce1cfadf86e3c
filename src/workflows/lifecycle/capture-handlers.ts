import { ApplicationFailure, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { contactRecordReferenceSchema, contactRecordSchema } from '../../domain/contact-record.js';
import { FailureType } from '../../domain/failures.js';
import { captureContactRecordUpdate, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import { recordStep } from './steps.js';

/**
 * A duplicate or stale answer also means a copy is stored, so the conversation is captured: the first
 * delivery's activity may have committed before its worker died, and its retry answers duplicate. Without
 * this the lifecycle stayed 'open' and never planned its retention.
 */
const CAPTURED_BY_ANY_STORED_COPY_PATCH = 'captured-by-any-stored-copy';

/** Contact records delivered by the contact center (Amazon Connect CTRs). */
export function registerContactRecordCapture(state: ConversationLifecycleState): void {
  const { workflowId, runId } = workflowInfo();
  setHandler(
    captureContactRecordUpdate,
    async ({ context, delivery, record }) => {
      // No patch needed: either shape schedules the same activity, and replay only compares commands.
      const result = await activities.storeContactRecord({
        conversationId: state.conversationId,
        source: state.source,
        externalKey: state.externalKey,
        ...(delivery ? { delivery } : { record }),
        context,
        workflow: { workflowId, runId },
      });
      if (result.outcome === 'created' || result.outcome === 'updated') {
        if (state.stage === 'open') state.stage = 'captured';
        recordStep(state, result.outcome === 'created' ? 'contact-record-captured' : 'contact-record-updated', {
          contactId: result.contactId,
        });
      } else if (state.stage === 'open' && patched(CAPTURED_BY_ANY_STORED_COPY_PATCH)) {
        state.stage = 'captured';
      }
      return result;
    },
    {
      validator: ({ delivery, record }) => {
        refuseIfDeleted(state);
        const parsed = delivery || !record ? contactRecordReferenceSchema.safeParse(delivery) : contactRecordSchema.safeParse(record);
        if (!parsed.success) {
          throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: parsed.error.issues[0]?.message ?? 'invalid' });
        }
      },
    },
  );
}
