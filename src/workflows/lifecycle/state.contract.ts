import { defineQuery } from '@temporalio/workflow';
import type { CallState } from '../../domain/call-segments.js';
import type { SegmentTag } from '../../domain/segment-tags.js';

/** Shared by the API, the worker and tests; the workflow body itself is imported only by the worker bundle. */
export const CONVERSATION_LIFECYCLE_WORKFLOW = 'conversationLifecycle';
export const DEFAULT_TASK_QUEUE = 'recordkeeper';

export function conversationWorkflowId(conversationId: string): string {
  return `conversation-${conversationId}`;
}

/** open: capture under way (a live call); captured: retention runs; deleted: a tombstone remains. */
export type LifecycleStage = 'open' | 'captured' | 'deleted';

export interface LifecycleStep {
  step: string;
  at: string;
  detail?: Record<string, unknown>;
}

/** The workflow's whole state; carried unchanged through continue-as-new. */
export interface ConversationLifecycleState {
  conversationId: string;
  source: string;
  externalKey: string;
  stage: LifecycleStage;
  /** The latest steps (at most MAX_KEPT_STEPS); the audit log holds them all. */
  steps: LifecycleStep[];
  /** How many older steps were dropped from `steps`. */
  stepsDropped?: number;
  /** The live call and its segments, for conversations captured from call events. */
  call?: CallState | null;
  /** Tags on the conversation as a whole (segment 0): contact records, chats, emails, retrospective tagging. */
  conversationTags?: SegmentTag[];
  anonymised?: boolean;
  /** Kept only by lifecycles started before the bounded-state patch; archive copies live in archive_copies. */
  archiveCopies?: { taskId: string; path: string; manifestSha256: string }[];
  /** Set to start a fresh history (e.g. after anonymisation, so the running history no longer holds personal data). */
  rotateHistory?: boolean;
  /** The last review step recorded per review (review_events ids), so a step told twice is recorded once. */
  reviewStepsSeen?: Record<string, number>;
  /** The last training step recorded per assignment (training_events ids), so a step told twice is recorded once. */
  trainingStepsSeen?: Record<string, number>;
  /** Bumped by every change that can move the retention plan, so a pending deletion is re-planned first. */
  retentionVersion?: number;
}

export interface ConversationLifecycleInput {
  state: ConversationLifecycleState;
}

export const lifecycleStateQuery = defineQuery<ConversationLifecycleState>('lifecycleState');

export function initialLifecycleState(conversationId: string, source: string, externalKey: string): ConversationLifecycleState {
  return { conversationId, source, externalKey, stage: 'open', steps: [], call: null, conversationTags: [], retentionVersion: 0 };
}
