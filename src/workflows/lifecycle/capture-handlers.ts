import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { contactRecordSchema } from '../../domain/contact-record.js';
import { FailureType } from '../../domain/failures.js';
import { captureContactRecordUpdate, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import { recordStep } from './steps.js';

/** Contact records delivered by the contact center (Amazon Connect CTRs). */
export function registerContactRecordCapture(state: ConversationLifecycleState): void {
  const { workflowId, runId } = workflowInfo();
  setHandler(
    captureContactRecordUpdate,
    async ({ context, record }) => {
      const result = await activities.storeContactRecord({
        conversationId: state.conversationId,
        source: state.source,
        externalKey: state.externalKey,
        record,
        context,
        workflow: { workflowId, runId },
      });
      if (result.outcome === 'created' || result.outcome === 'updated') {
        if (state.stage === 'open') state.stage = 'captured';
        recordStep(state, result.outcome === 'created' ? 'contact-record-captured' : 'contact-record-updated', {
          contactId: result.contactId,
        });
      }
      return result;
    },
    {
      validator: ({ record }) => {
        refuseIfDeleted(state);
        const parsed = contactRecordSchema.safeParse(record);
        if (!parsed.success) {
          throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: parsed.error.issues[0]?.message ?? 'invalid' });
        }
      },
    },
  );
}
