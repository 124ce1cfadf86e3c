import { z } from 'zod';

/**
 * Minutes of a face-to-face or video meeting with a client (Delegated Regulation 2017/565 Art. 76(9)): a
 * conversation of its own, keyed by the firm's meeting id, whose minutes document is kept unaltered as media.
 */
export const MEETING_SOURCE = 'meeting-minutes';
export const MEETING_CHANNEL = 'MEETING';

const isoTimestamp = z.iso.datetime({ offset: true });
/** Attribute names as Amazon Connect allows them (src/search/search-filters.ts), so delete tasks and searches select minutes alike. */
const attributeName = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'an attribute name has 1 to 128 letters, digits, "-" or "_"');

export const meetingAttendeeSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(['client', 'staff']),
  /** A staff attendee's Recordkeeper username: the meeting is then "handled" by them (agent scope, review sampling). */
  username: z.string().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  phoneNumber: z.string().regex(/^\+?[0-9]{3,20}$/, 'a phone number in E.164 form, e.g. +442071234567').optional(),
  /** The firm's own client identifier: what a client copy (POST /v1/client-copies) finds the meeting by. */
  clientId: z.string().min(1).max(200).optional(),
});

/** An attached file (a signed note, a scan, a video call's recording), base64 in the JSON body. */
export const meetingAttachmentSchema = z.object({
  fileName: z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name without path separators'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as application/pdf'),
  contentBase64: z.base64().min(1),
});

export const meetingMinutesSchema = z
  .object({
    /** The firm's id for the meeting (opaque, never a name: it is the conversation's key and enters workflow state). */
    meetingId: z.string().regex(/^[\x21-\x7e]{1,200}$/, '1 to 200 printable ASCII characters without spaces'),
    channel: z.enum(['IN_PERSON', 'VIDEO']),
    occurredAt: isoTimestamp,
    endedAt: isoTimestamp.optional(),
    location: z.string().trim().min(1).max(500),
    attendees: z.array(meetingAttendeeSchema).min(2).max(100),
    /** Who asked for the meeting: the name of one of the attendees. */
    initiator: z.string().trim().min(1).max(200),
    orderInformation: z.string().max(20_000).optional(),
    notes: z.string().max(200_000).optional(),
    attributes: z.record(attributeName, z.string().max(2_000)).optional(),
    attachments: z.array(meetingAttachmentSchema).max(20).optional(),
  })
  .superRefine((minutes, ctx) => {
    if (!minutes.attendees.some((attendee) => attendee.role === 'client')) ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'at least one attendee is the client' });
    if (!minutes.attendees.some((attendee) => attendee.role === 'staff')) ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'at least one attendee is staff of the firm' });
    if (!minutes.attendees.some((attendee) => attendee.name === minutes.initiator)) ctx.addIssue({ code: 'custom', path: ['initiator'], message: 'the initiator is one of the attendees, by name' });
    if (minutes.endedAt && Date.parse(minutes.endedAt) < Date.parse(minutes.occurredAt)) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'the meeting ends after it began' });
  });

export type MeetingMinutesInput = z.infer<typeof meetingMinutesSchema>;
export type MeetingAttendee = z.infer<typeof meetingAttendeeSchema>;

/** The minutes as kept: the request with each attachment replaced by the digest it is stored under. */
export interface MeetingMinutesDocument extends Omit<MeetingMinutesInput, 'attachments'> {
  attachments: { fileName: string; contentType: string; sha256: string; sizeBytes: number }[];
}

const storedAttachmentSchema = z.object({ fileName: z.string(), contentType: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), sizeBytes: z.number().int().nonnegative() });

/** Reads a stored minutes document back (the activity trusts nothing it did not validate). */
export function readMinutesDocument(value: unknown): { ok: true; minutes: MeetingMinutesDocument } | { ok: false; message: string } {
  const parsed = meetingMinutesSchema.safeParse({ ...(value as object), attachments: undefined });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'not meeting minutes' };
  const attachments = z.array(storedAttachmentSchema).safeParse((value as { attachments?: unknown }).attachments ?? []);
  if (!attachments.success) return { ok: false, message: `attachments: ${attachments.error.issues[0]?.message}` };
  return { ok: true, minutes: { ...parsed.data, attachments: attachments.data } };
}

/**
 * How the meeting is found like any other conversation: the client's address (email, else phone) as the
 * customer address, the firm's client id as the `clientId` attribute, the first staff attendee with a
 * username as the agent.
 */
export function meetingConversationFacts(minutes: Pick<MeetingMinutesDocument, 'attendees' | 'attributes' | 'channel'>) {
  const client = minutes.attendees.find((attendee) => attendee.role === 'client' && (attendee.email || attendee.phoneNumber));
  const clientId = minutes.attendees.find((attendee) => attendee.role === 'client' && attendee.clientId)?.clientId;
  const agent = minutes.attendees.find((attendee) => attendee.role === 'staff' && attendee.username)?.username ?? null;
  const customerAddress = client ? (client.email?.toLowerCase() ?? client.phoneNumber ?? null) : null;
  const attributes: Record<string, string> = { ...minutes.attributes, meetingChannel: minutes.channel, ...(clientId ? { clientId } : {}) };
  return { customerAddress, agentUsername: agent, attributes };
}
