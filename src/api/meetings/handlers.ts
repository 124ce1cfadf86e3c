import type { RouteHandler } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { auditedCall } from '../../audit/write/audited.js';
import { FailureType } from '../../domain/failures.js';
import { MEETING_SOURCE, type MeetingMinutesDocument } from '../../domain/meeting-minutes.js';
import { canonicalJson } from '../../lib/digest.js';
import { removeMediaFiles } from '../../media/media-removal.js';
import { conversationIdFor } from '../../lib/ids.js';
import { captureMinutesUpdate, type CaptureMinutesArgs } from '../../workflows/lifecycle/minutes.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { isReferenced } from '../imports/emails/email-key.js';
import { toProblem, updateOrStartConversation } from '../lifecycle-client.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { postMeetingRoute } from './routes.js';

async function captureMinutes(deps: ApiDeps, meetingId: string, args: CaptureMinutesArgs) {
  const conversation = { id: conversationIdFor(MEETING_SOURCE, meetingId), source: MEETING_SOURCE, externalKey: meetingId };
  try {
    return await updateOrStartConversation(deps, conversation, captureMinutesUpdate, args);
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ProblemError(410, FailureType.ConversationDisposed, { detail: `conversation ${conversation.id} was deleted; its meeting cannot be recorded again` });
    }
    throw toProblem(error);
  }
}

export function meetingHandlers(deps: ApiDeps) {
  const postMeeting: RouteHandler<typeof postMeetingRoute, AppEnv> = async (c) => {
    const { attachments = [], ...minutes } = c.req.valid('json');
    const context = requestContext(c);
    const conversationId = conversationIdFor(MEETING_SOURCE, minutes.meetingId);
    const result = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'MEETING_MINUTES_IMPORT',
        description: `Minutes of meeting ${minutes.meetingId} received`,
        details: { meetingId: minutes.meetingId, channel: minutes.channel, attendees: minutes.attendees.length, attachments: attachments.length },
        conversationId,
      },
      async () => {
        // Files first, then the document naming them by digest; the workflow gets only the document's digest.
        const written: string[] = [];
        const put = async (content: Buffer) => {
          const file = await deps.media.put(content);
          if (file.written) written.push(file.sha256);
          return file;
        };
        try {
          const stored: MeetingMinutesDocument['attachments'] = [];
          for (const attachment of attachments) {
            const file = await put(Buffer.from(attachment.contentBase64, 'base64'));
            stored.push({ fileName: attachment.fileName, contentType: attachment.contentType, sha256: file.sha256, sizeBytes: file.sizeBytes });
          }
          const document: MeetingMinutesDocument = { ...minutes, attachments: stored };
          // Canonical JSON: the same minutes posted again are the same bytes, so a replay is a duplicate.
          const kept = await put(Buffer.from(canonicalJson(document), 'utf8'));
          const value = await captureMinutes(deps, minutes.meetingId, {
            context,
            minutes: { documentSha256: kept.sha256, sizeBytes: kept.sizeBytes, meetingId: minutes.meetingId },
          });
          return { value, details: { outcome: value.outcome, documentSha256: kept.sha256 } };
        } catch (error) {
          // Files no conversation came to refer to (a refused or deleted meeting) are not left in the store.
          const orphans: string[] = [];
          for (const sha256 of written) if (!(await isReferenced(deps.db, sha256))) orphans.push(sha256);
          await removeMediaFiles(deps.media, orphans);
          throw error;
        }
      },
    );
    const body = { conversationId: result.conversationId, meetingId: minutes.meetingId, status: result.outcome, media: result.media };
    return c.json(body, result.outcome === 'created' ? 201 : 200);
  };
  return { postMeeting };
}
