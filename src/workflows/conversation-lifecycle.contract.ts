import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallEvent, CallState } from '../domain/call-segments.js';
import type { ManualTagSource, SegmentTag } from '../domain/segment-tags.js';
import type { DeliveryOutcome } from '../domain/contact-record.js';

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
  steps: LifecycleStep[];
  /** The live call and its segments, for conversations captured from call events. */
  call?: CallState | null;
  /** Tags on the conversation as a whole (segment 0): contact records, chats, emails, retrospective tagging. */
  conversationTags?: SegmentTag[];
  anonymised?: boolean;
  /** Where each archive copy went (task, path, manifest digest). */
  archiveCopies?: { taskId: string; path: string; manifestSha256: string }[];
  /** Set to start a fresh history (e.g. after anonymisation, so the running history no longer holds personal data). */
  rotateHistory?: boolean;
  /** Bumped by every change that can move the retention plan, so a pending deletion is re-planned first. */
  retentionVersion?: number;
}

export interface ConversationLifecycleInput {
  state: ConversationLifecycleState;
}

export interface RequestContext {
  correlationId: string;
  actor: { type: 'user' | 'system'; id: string; username: string; fullName: string };
}

export interface CaptureContactRecordArgs {
  context: RequestContext;
  /** The record exactly as delivered (already validated by the API, validated again by the update's validator). */
  record: Record<string, unknown>;
}

export interface CaptureContactRecordResult {
  conversationId: string;
  contactId: string;
  outcome: DeliveryOutcome;
}

export const captureContactRecordUpdate = defineUpdate<CaptureContactRecordResult, [CaptureContactRecordArgs]>(
  'captureContactRecord',
);

export const lifecycleStateQuery = defineQuery<ConversationLifecycleState>('lifecycleState');

export interface ApplyCallEventsArgs {
  context: RequestContext;
  events: CallEvent[];
}

export interface ApplyCallEventsResult {
  conversationId: string;
  applied: string[];
  duplicates: string[];
  rejected: { eventId: string; message: string }[];
  status: CallState['status'] | null;
  activeSegmentIndex: number | null;
}

export const applyCallEventsUpdate = defineUpdate<ApplyCallEventsResult, [ApplyCallEventsArgs]>('applyCallEvents');

export interface TagActiveSegmentArgs {
  context: RequestContext;
  name: string;
  value: string | null;
  source: ManualTagSource;
}
export interface UntagActiveSegmentArgs {
  context: RequestContext;
  name: string;
  source: ManualTagSource;
}
export interface SegmentTagResult {
  conversationId: string;
  segmentIndex: number;
  change: 'added' | 'updated' | 'removed' | 'unchanged';
}

/** Manual and API tagging of the active segment; the validator answers "no active call" (the seed). */
export const tagActiveSegmentUpdate = defineUpdate<SegmentTagResult, [TagActiveSegmentArgs]>('tagActiveSegment');
export const untagActiveSegmentUpdate = defineUpdate<SegmentTagResult, [UntagActiveSegmentArgs]>('untagActiveSegment');

export interface TagConversationArgs {
  context: RequestContext;
  name: string;
  value: string | null;
}
export interface UntagConversationArgs {
  context: RequestContext;
  name: string;
}
/** Tags on the conversation as a whole (segment 0), e.g. a compliance analyst tagging after the fact. */
export const tagConversationUpdate = defineUpdate<SegmentTagResult, [TagConversationArgs]>('tagConversation');
export const untagConversationUpdate = defineUpdate<SegmentTagResult, [UntagConversationArgs]>('untagConversation');

export interface PlaceLegalHoldArgs {
  context: RequestContext;
  holdId: string;
  reason: string;
  reference: string | null;
  scope: Record<string, unknown> | null;
}
export interface ReleaseLegalHoldArgs {
  context: RequestContext;
  holdId: string;
  reason: string;
}
export interface LegalHoldResult {
  conversationId: string;
  holdId: string;
  status: 'active' | 'released';
  activeHolds: number;
}
export const placeLegalHoldUpdate = defineUpdate<LegalHoldResult, [PlaceLegalHoldArgs]>('placeLegalHold');
export const releaseLegalHoldUpdate = defineUpdate<LegalHoldResult, [ReleaseLegalHoldArgs]>('releaseLegalHold');

export interface LegalHoldChange {
  holdId: string;
  change: 'placed' | 'released';
  reason: string;
}
/**
 * A hold placed or released in bulk (a search hold) directly in PostgreSQL, where deletion re-checks it
 * under the row lock: the lifecycle records the step and re-plans its retention.
 */
export const legalHoldChangedSignal = defineSignal<[LegalHoldChange]>('legalHoldChanged');

export interface ExtendRetentionArgs {
  context: RequestContext;
  until: string;
  reason: string;
  authorityReference: string | null;
}
export interface ExtendRetentionResult {
  conversationId: string;
  protectedUntil: string;
  extended: boolean;
}
/** An authority's request: protection moves later, never earlier. */
export const extendRetentionUpdate = defineUpdate<ExtendRetentionResult, [ExtendRetentionArgs]>('extendRetention');

/** Delete tasks or tag protections changed: re-plan retention now rather than at the next periodic wake. */
export const retentionPolicyChangedSignal = defineSignal('retentionPolicyChanged');

export interface AnonymiseArgs {
  context: RequestContext;
  reason: string;
  requestReference: string | null;
}
export type AnonymiseResult =
  | { conversationId: string; anonymised: true; destroyed: number }
  | { conversationId: string; anonymised: false; refusal: 'legal-hold' | 'protected'; detail: string };
/** GDPR erasure: personal data goes, the regulatory skeleton stays; refused under a hold or MiFID protection. */
export const anonymiseUpdate = defineUpdate<AnonymiseResult, [AnonymiseArgs]>('anonymise');

export interface ArchiveRequest {
  taskId: string;
  /** The archive run to report back to. */
  runWorkflowId: string;
}
/** An archive run asks the lifecycle to archive its conversation for a task. */
export const archiveRequestedSignal = defineSignal<[ArchiveRequest]>('archiveRequested');

export const LIVE_CALL_SOURCE = 'live-call';

export function initialLifecycleState(conversationId: string, source: string, externalKey: string): ConversationLifecycleState {
  return { conversationId, source, externalKey, stage: 'open', steps: [], call: null, conversationTags: [], retentionVersion: 0 };
}

/** Where imported chats and emails come from; with the external key they decide the conversation's id. */
export const CHAT_CAPTURE_SOURCE = 'amazon-connect-chat';
export const EMAIL_CAPTURE_SOURCE = 'email';

/**
 * Chats and emails travel by reference: the API stores the transcript or raw message in the media store and
 * the activity reads it back, verified, from there, so the workflow's history stays small (Temporal refuses
 * payloads over 2 MB) whatever the size of a chat or of a message and its attachments.
 */
export interface CaptureChatContent {
  kind: 'chat';
  /** The Amazon Connect chat transcript (validated by the API), stored as canonical JSON. */
  chat: { transcriptSha256: string; sizeBytes: number; contactId: string };
}

export interface CaptureEmailContent {
  kind: 'email';
  email: { rawSha256: string; sizeBytes: number; messageId: string | null };
}

export interface CaptureContentArgs {
  context: RequestContext;
  content: CaptureChatContent | CaptureEmailContent;
}

export interface CapturedMedia {
  sha256: string;
  kind: 'original' | 'transcript' | 'attachment' | 'recording';
  fileName: string | null;
  contentType: string;
  sizeBytes: number;
}

export interface CaptureContentResult {
  conversationId: string;
  kind: 'chat' | 'email';
  /** updated: a re-delivered chat transcript brought items not stored yet. */
  outcome: 'created' | 'updated' | 'duplicate';
  media: CapturedMedia[];
}

/** Imported chats and emails: the same lifecycle as a call, captured in one step. */
export const captureContentUpdate = defineUpdate<CaptureContentResult, [CaptureContentArgs]>('captureContent');
