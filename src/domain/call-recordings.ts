/**
 * What audio a call segment may keep. One answer for the upload route and the fetching of recordings a
 * contact record names: a segment keeps audio only when a rule recorded it and consent was not refused.
 */

/** Accepted media types and the extension a stored file is named with. */
export const RECORDING_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
};

/** The media type without parameters, lower-cased: `Audio/WAV; codecs=1` is `audio/wav`. */
export function recordingMediaType(contentType: string | undefined): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type && type in RECORDING_MEDIA_TYPES ? type : null;
}

export function recordingFileName(segmentIndex: number, mediaType: string): string {
  return `segment-${segmentIndex}.${RECORDING_MEDIA_TYPES[mediaType] ?? 'bin'}`;
}

export interface SegmentRecordingFacts {
  recorded: boolean;
  consent: string;
  mediaKept: boolean;
}

export type RecordingRefusal = { code: 'CONSENT_REFUSED' | 'NOT_RECORDED'; reason: string };

export function recordingRefusal(segmentIndex: number, segment: SegmentRecordingFacts): RecordingRefusal | null {
  if (segment.consent === 'refused') {
    return { code: 'CONSENT_REFUSED', reason: `the customer refused consent to recording segment ${segmentIndex}: its audio may not be kept` };
  }
  if (!segment.recorded) {
    return { code: 'NOT_RECORDED', reason: `segment ${segmentIndex} is not recorded (no recording rule records it): its audio may not be kept` };
  }
  if (!segment.mediaKept) return { code: 'NOT_RECORDED', reason: `segment ${segmentIndex} keeps no media` };
  return null;
}
