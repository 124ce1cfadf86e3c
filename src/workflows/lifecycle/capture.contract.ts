import { defineUpdate } from '@temporalio/workflow';
import type { RequestContext } from '../../audit/write/actor.js';
import type { ContactRecordReference, DeliveryOutcome } from '../../domain/contact-record.js';

/**
 * Capture: contact records, and imported chats and emails. A contact record travels by reference: the API
 * validates it and holds it in contact_record_deliveries, the update names it by digest, and the activity
 * reads it from there, so the customer's number, name and attributes never enter the history.
 */
export interface CaptureContactRecordArgs {
  context: RequestContext;
  /** The held record and its non-personal keys (validated by the update's validator). */
  delivery?: ContactRecordReference;
  /**
   * The record exactly as delivered: only in updates sent before records travelled by reference, which the
   * histories of lifecycles still running then hold and replay.
   */
  record?: Record<string, unknown>;
}

export interface CaptureContactRecordResult {
  conversationId: string;
  contactId: string;
  outcome: DeliveryOutcome;
}

export const captureContactRecordUpdate = defineUpdate<CaptureContactRecordResult, [CaptureContactRecordArgs]>(
  'captureContactRecord',
);

/** Where imported chats and emails come from; with the external key they decide the conversation's id. */
export const CHAT_CAPTURE_SOURCE = 'amazon-connect-chat';
/**
 * Amazon Connect contacts, keyed by InitialContactId ?? ContactId. Chats are captured here too, so a chat
 * transcript and its CHAT contact record are one conversation in either order; CHAT_CAPTURE_SOURCE holds
 * the chats imported before that (and their re-deliveries).
 */
export const AMAZON_CONNECT_SOURCE = 'amazon-connect';
export const EMAIL_CAPTURE_SOURCE = 'email';

/**
 * Chats and emails travel by reference: the API stores the transcript or raw message in the media store and
 * the activity reads it back, verified, from there, so the workflow's history stays small (Temporal refuses
 * payloads over 2 MB) whatever the size of a chat or of a message and its attachments.
 */
export interface CaptureChatContent {
  kind: 'chat';
  /**
   * The chat as delivered (an S3 transcript or a Contact Lens file, validated by the API), stored byte for
   * byte; `contactId` is the conversation's key (InitialContactId ?? ContactId, or ContactId for a legacy chat).
   */
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
  /** An email the parser refused: captured with its original only, and why. */
  unparsed?: { reason: string };
}

/** Imported chats and emails: the same lifecycle as a call, captured in one step. */
export const captureContentUpdate = defineUpdate<CaptureContentResult, [CaptureContentArgs]>('captureContent');
