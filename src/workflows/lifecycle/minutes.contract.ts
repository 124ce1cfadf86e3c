import { defineUpdate } from '@temporalio/workflow';
import type { RequestContext } from '../../audit/write/actor.js';
import type { CapturedMedia } from './capture.contract.js';

/**
 * Minutes of a face-to-face or video meeting travel by reference, like chats and emails: the API stores the
 * minutes document (attendees, location, notes, order information) in the media store and the update carries
 * only its digest and the meeting id, so no personal data enters the workflow's history.
 */
export interface CaptureMinutesArgs {
  context: RequestContext;
  minutes: { documentSha256: string; sizeBytes: number; meetingId: string };
}

export interface CaptureMinutesResult {
  conversationId: string;
  /** updated: corrected minutes of a meeting already recorded; the earlier version is kept beside them. */
  outcome: 'created' | 'updated' | 'duplicate';
  media: CapturedMedia[];
}

export const captureMinutesUpdate = defineUpdate<CaptureMinutesResult, [CaptureMinutesArgs]>('captureMinutes');
