import { z } from 'zod';
import { chatTranscriptSchema, type ChatTranscript } from './chat-transcript.js';
import { contactLensChatSchema, contactLensToTranscript, isContactLensChat } from './contact-lens-chat.js';

/**
 * A chat as the API accepts it: an S3 chat transcript (top-level ContactId) or a Contact Lens output file
 * (CustomerMetadata.ContactId). Refusals name the field of the format the body was recognised as.
 */
export const chatImportSchema = z.looseObject({}).superRefine((value, ctx) => {
  const parsed = (isContactLensChat(value) ? contactLensChatSchema : chatTranscriptSchema).safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

export type ChatImport = { format: 'transcript' | 'contact-lens'; transcript: ChatTranscript; offsetsOnly: boolean };

/** The chat in transcript terms, or the reason it is none (the first issue). */
export function readChatImport(value: unknown, startedAt: string | null = null): { ok: true; chat: ChatImport } | { ok: false; message: string } {
  if (isContactLensChat(value)) {
    const parsed = contactLensChatSchema.safeParse(value);
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'not a Contact Lens chat' };
    const offsetsOnly = parsed.data.Transcript.length > 0 && parsed.data.Transcript.every((entry) => !entry.AbsoluteTime);
    return { ok: true, chat: { format: 'contact-lens', transcript: contactLensToTranscript(parsed.data, startedAt), offsetsOnly } };
  }
  const parsed = chatTranscriptSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'not a chat transcript' };
  return { ok: true, chat: { format: 'transcript', transcript: parsed.data, offsetsOnly: false } };
}

/**
 * The conversation a chat belongs to, the same as its CHAT contact record's (conversationKeyOf), so a chat
 * and its record join in either order.
 */
export function chatConversationKeyOf(transcript: Pick<ChatTranscript, 'ContactId' | 'InitialContactId'>): string {
  return transcript.InitialContactId ?? transcript.ContactId;
}
