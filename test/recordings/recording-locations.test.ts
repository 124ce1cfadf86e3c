import { describe, expect, it } from 'vitest';
import { fetchedMediaType, parseS3Location, recordingsNamedBy, retryDelaySeconds } from '../../src/recordings/recording-locations.js';

describe('which S3 objects a contact record names as its audio', () => {
  it('reads Recording and Recordings[], counting a location named in both once and keeping the times', () => {
    const location = 'connect-bucket/connect/inst/CallRecordings/2026/11/20/c-1_20261120T10:00_UTC.wav';
    expect(
      recordingsNamedBy({
        Recording: { Location: location, Status: 'AVAILABLE', Type: 'AUDIO' },
        Recordings: [
          { Location: location, MediaStreamType: 'AUDIO', StorageType: 'S3', StartTimestamp: '2026-11-20T10:00:05Z', StopTimestamp: '2026-11-20T10:02:05Z' },
          { Location: 'connect-bucket/screen/c-1.mp4', MediaStreamType: 'VIDEO', StorageType: 'S3' },
          { Location: 'connect-bucket/chat/c-1.json', MediaStreamType: 'CHAT', StorageType: 'Amazon S3' },
          { Location: 'kvs-stream-arn', MediaStreamType: 'AUDIO', StorageType: 'KINESIS_VIDEO_STREAM' },
          { Location: 'connect-bucket/gone.wav', MediaStreamType: 'AUDIO', StorageType: 'S3', Status: 'DELETED' },
          { Location: 'connect-bucket/agent-side.wav', MediaStreamType: 'AUDIO', StorageType: 'Amazon S3' },
        ],
      }),
    ).toEqual([
      { location, startedAt: '2026-11-20T10:00:05Z', endedAt: '2026-11-20T10:02:05Z' },
      { location: 'connect-bucket/agent-side.wav', startedAt: null, endedAt: null },
    ]);
    expect(recordingsNamedBy({ Recording: null, Recordings: null })).toEqual([]);
  });

  it('parses bucket/key and s3:// locations, and refuses what is not one', () => {
    expect(parseS3Location('connect-bucket/a/b c.wav')).toEqual({ bucket: 'connect-bucket', key: 'a/b c.wav' });
    expect(parseS3Location('s3://connect-bucket/a.wav')).toEqual({ bucket: 'connect-bucket', key: 'a.wav' });
    for (const bad of ['https://example.com/a.wav', 'arn:aws:s3:::bucket/a.wav', 'no-key/', '/leading', 'Upper_Case/a.wav', 'nobucket']) {
      expect(parseS3Location(bad), bad).toBeNull();
    }
  });

  it('names the media type by extension first, then by Content-Type', () => {
    expect(fetchedMediaType('a/b.WAV', 'binary/octet-stream')).toBe('audio/wav');
    expect(fetchedMediaType('a/b.opus', undefined)).toBe('audio/opus');
    expect(fetchedMediaType('a/b', 'audio/mpeg')).toBe('audio/mpeg');
    expect(fetchedMediaType('a/b.txt', 'text/plain')).toBeNull();
  });

  it('backs off by doubling, capped', () => {
    const policy = { retryBaseSeconds: 60, retryMaxSeconds: 6 * 3600 };
    expect([1, 2, 3, 4, 9, 10, 30].map((attempt) => retryDelaySeconds(attempt, policy))).toEqual([60, 120, 240, 480, 15_360, 21_600, 21_600]);
  });
});
