import type { LegalHoldChange } from './conversation-lifecycle.contract.js';

export const LEGAL_HOLD_NOTIFY_WORKFLOW = 'legalHoldNotify';

export function legalHoldNotifyWorkflowId(holdGroupId: string, change: LegalHoldChange['change']): string {
  return `legal-hold-notify-${holdGroupId}-${change}`;
}

export interface LegalHoldNotifyInput {
  holdGroupId: string;
  change: LegalHoldChange['change'];
  reason: string;
  /** Carried over continue-as-new. */
  resume?: { afterConversationId: string; signalled: number; unreachable: number };
}

export interface LegalHoldNotifyResult {
  holdGroupId: string;
  signalled: number;
  /** Lifecycles that could not be told (gone); their holds are in force all the same. */
  unreachable: number;
}
