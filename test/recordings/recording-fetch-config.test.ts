import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('S3 recording fetch configuration', () => {
  it('is off when neither an endpoint nor a region is set', () => {
    expect(parseConfig({}).recordingFetch).toMatchObject({ s3: undefined, intervalSeconds: 60, retryBaseSeconds: 60, maxAttempts: 20 });
  });

  it('uses path-style URLs by default for an S3-compatible endpoint, virtual-host style on AWS', () => {
    expect(parseConfig({ RECORDING_S3_ENDPOINT: 'http://127.0.0.1:7070', RECORDING_S3_ACCESS_KEY_ID: 'k', RECORDING_S3_SECRET_ACCESS_KEY: 's' }).recordingFetch.s3).toEqual({
      endpoint: 'http://127.0.0.1:7070',
      region: 'us-east-1',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
    });
    expect(parseConfig({ RECORDING_S3_REGION: 'eu-west-2' }).recordingFetch.s3).toEqual({ endpoint: undefined, region: 'eu-west-2', credentials: undefined, forcePathStyle: false });
    expect(parseConfig({ RECORDING_S3_REGION: 'eu-west-2', RECORDING_S3_FORCE_PATH_STYLE: 'true' }).recordingFetch.s3?.forcePathStyle).toBe(true);
  });

  it('refuses half a key pair and an endpoint that is not a URL, naming the variables', () => {
    expect(() => parseConfig({ RECORDING_S3_REGION: 'eu-west-2', RECORDING_S3_ACCESS_KEY_ID: 'k' })).toThrow(/RECORDING_S3_ACCESS_KEY_ID and RECORDING_S3_SECRET_ACCESS_KEY/);
    expect(() => parseConfig({ RECORDING_S3_ENDPOINT: 'minio:9000' })).toThrow(ConfigError);
    expect(() => parseConfig({ RECORDING_S3_ENDPOINT: 'minio:9000' })).toThrow(/RECORDING_S3_ENDPOINT/);
  });
});
