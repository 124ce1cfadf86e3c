import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidDigestError, MediaIntegrityError, MediaNotFoundError } from '../../src/media/media-errors.js';
import { createMediaStore } from '../../src/media/media-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-media-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const store = createMediaStore(root);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the content-addressed media store', () => {
  it('stores content under its SHA-256, once, leaving no temporary files', async () => {
    const content = randomBytes(5000);
    const digest = sha256(content);
    const first = await store.put(content);
    expect(first).toEqual({ sha256: digest, sizeBytes: 5000, written: true });
    expect(store.pathOf(digest)).toBe(path.join(root, 'sha256', digest.slice(0, 2), digest.slice(2, 4), digest));
    const mtime = fs.statSync(store.pathOf(digest)).mtimeMs;
    expect(await store.put(Buffer.from(content))).toEqual({ sha256: digest, sizeBytes: 5000, written: false });
    expect(fs.statSync(store.pathOf(digest)).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
    expect((await store.read(digest)).equals(content)).toBe(true);
  });

  it('refuses to return bytes that no longer match their digest, on read and on open', async () => {
    const content = Buffer.from(`statement ${randomBytes(8).toString('hex')}`);
    const { sha256: digest } = await store.put(content);
    fs.chmodSync(store.pathOf(digest), 0o644);
    fs.writeFileSync(store.pathOf(digest), Buffer.from(content.toString().toUpperCase()));
    await expect(store.read(digest)).rejects.toBeInstanceOf(MediaIntegrityError);
    await expect(store.open(digest)).rejects.toThrow(/integrity check failed/);
  });

  it('streams verified content, and fails the stream if the file changes after it was opened', async () => {
    const content = Buffer.from(`recording ${randomBytes(8).toString('hex')}`);
    const { sha256: digest } = await store.put(content);
    const verified = await store.open(digest);
    expect(verified.sizeBytes).toBe(content.length);
    expect(await text(verified.stream())).toBe(content.toString());

    const reopened = await store.open(digest);
    fs.chmodSync(store.pathOf(digest), 0o644);
    fs.writeFileSync(store.pathOf(digest), Buffer.from(content.toString().replace('recording', 'RECORDING')));
    await expect(text(reopened.stream())).rejects.toBeInstanceOf(MediaIntegrityError);
  });

  it('names missing media and refuses anything but a digest as a name', async () => {
    await expect(store.read('0'.repeat(64))).rejects.toBeInstanceOf(MediaNotFoundError);
    expect(() => store.pathOf('../../etc/passwd')).toThrow(InvalidDigestError);
    await expect(store.open('A'.repeat(64))).rejects.toBeInstanceOf(InvalidDigestError);
  });
});
