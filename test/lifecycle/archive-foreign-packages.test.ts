import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveTasks } from '../../src/db/schema/index.js';
import { captureTagged, runArchiveToCompletion } from '../support/archive.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

/** Every file below a folder with its SHA-256, so a test can tell that nothing in it changed. */
function snapshot(folder: string): Record<string, string> {
  const files = fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((entry) => fs.statSync(path.join(folder, entry)).isFile());
  return Object.fromEntries(files.sort().map((file) => [file, createHash('sha256').update(fs.readFileSync(path.join(folder, file))).digest('hex')]));
}

describe('an archive run never removes a package it did not write', () => {
  it('leaves the package of another task sharing its destination (one created before destinations were checked) as it is, and fails the item saying why', async () => {
    const tag = uniqueId('SHARED').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const conversationId = await captureTagged(harness, tag, 'equities');
    const destination = uniqueId('shared-drive');
    const first = await harness.http('POST', '/v1/archive-tasks', { name: `first ${destination}`, selection: { tag: { name: tag } }, destination });
    expect(first.status).toBe(201);
    // The API refuses a second task here now; an older deployment may still hold one.
    const [second] = await harness.db
      .insert(archiveTasks)
      .values({ id: randomUUID(), name: `second ${destination}`, selection: { tag: { name: tag } }, destination })
      .returning();

    expect(await runArchiveToCompletion(harness, first.body.id)).toMatchObject({ selected: 1, done: 1, failed: 0 });
    const packageDir = path.join(harness.archiveRoot, destination, tag, 'equities', conversationId);
    const before = snapshot(packageDir);
    expect(JSON.parse(fs.readFileSync(path.join(packageDir, 'manifest.json'), 'utf8')).taskId).toBe(first.body.id);

    const secondRun = await runArchiveToCompletion(harness, second!.id);
    expect(secondRun).toMatchObject({ selected: 1, done: 0, failed: 1 });
    expect(secondRun.report.failures).toEqual([{ conversationId, reason: expect.stringContaining('did not write') }]);
    expect(snapshot(packageDir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(packageDir))).toEqual([conversationId]);

    // The first task's package still verifies.
    const again = await runArchiveToCompletion(harness, first.body.id);
    expect(again.report.verification).toEqual({ checked: 1, failures: [] });
  });

  it("leaves someone else's files at a package's place untouched, and replaces only its own unrecorded package", async () => {
    const tag = uniqueId('FOREIGN').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const [occupied, ownLeftover] = [await captureTagged(harness, tag, 'v'), await captureTagged(harness, tag, 'v')];
    const destination = uniqueId('foreign-drive');
    const task = await harness.http('POST', '/v1/archive-tasks', { name: `task ${destination}`, selection: { tag: { name: tag } }, destination });
    expect(task.status).toBe(201);

    const tagDir = path.join(harness.archiveRoot, destination, tag, 'v');
    fs.mkdirSync(path.join(tagDir, occupied), { recursive: true });
    fs.writeFileSync(path.join(tagDir, occupied, 'evidence.txt'), 'not the archive task\'s');
    // A package this task wrote for the conversation but never recorded (a crash between rename and commit).
    fs.mkdirSync(path.join(tagDir, ownLeftover), { recursive: true });
    fs.writeFileSync(path.join(tagDir, ownLeftover, 'manifest.json'), JSON.stringify({ taskId: task.body.id, conversationId: ownLeftover, files: [] }));
    const foreign = snapshot(path.join(tagDir, occupied));

    const run = await runArchiveToCompletion(harness, task.body.id);
    expect(run).toMatchObject({ selected: 2, done: 1, failed: 1 });
    expect(run.report.failures).toEqual([{ conversationId: occupied, reason: expect.stringContaining('did not write') }]);
    expect(snapshot(path.join(tagDir, occupied))).toEqual(foreign);
    expect(Object.keys(snapshot(path.join(tagDir, ownLeftover)))).toEqual(expect.arrayContaining(['conversation.json', 'manifest.json']));
    expect(fs.readdirSync(tagDir).sort()).toEqual([occupied, ownLeftover].sort());
  });
});
