import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { captureTagged, runArchiveToCompletion } from '../support/archive.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every package directory (one holding manifest.json) below a folder. */
function packagesBelow(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((entry) => entry.endsWith('manifest.json')).map((entry) => path.dirname(path.join(folder, entry)));
}

describe('archive tasks into per-tag destinations', () => {
  it('writes each tagged conversation once, into its own task destination, with a verifiable manifest', async () => {
    const advice = uniqueId('ADVICE').toUpperCase().replace(/-/g, '_');
    const complaint = uniqueId('COMPLAINT').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: advice }, { name: complaint }]);
    const adviceIds = [await captureTagged(harness, advice, 'equities'), await captureTagged(harness, advice, '../../etc')];
    const complaintId = await captureTagged(harness, complaint, null);

    const adviceTask = await harness.http('POST', '/v1/archive-tasks', { name: 'advice', selection: { tag: { name: advice } }, destination: 'advice-drive' });
    const complaintTask = await harness.http('POST', '/v1/archive-tasks', { name: 'complaints', selection: { tag: { name: complaint } }, destination: 'complaints-drive' });
    expect(adviceTask.status, JSON.stringify(adviceTask.body)).toBe(201);
    expect(complaintTask.status).toBe(201);

    const adviceRun = await runArchiveToCompletion(harness, adviceTask.body.id);
    const complaintRun = await runArchiveToCompletion(harness, complaintTask.body.id);
    expect(adviceRun).toMatchObject({ selected: 2, done: 2, failed: 0 });
    expect(complaintRun).toMatchObject({ selected: 1, done: 1, failed: 0 });

    const adviceRoot = path.join(harness.archiveRoot, 'advice-drive');
    const complaintRoot = path.join(harness.archiveRoot, 'complaints-drive');
    const advicePackages = packagesBelow(adviceRoot);
    expect(advicePackages.map((dir) => path.basename(dir)).sort()).toEqual([...adviceIds].sort());
    expect(packagesBelow(complaintRoot).map((dir) => path.basename(dir))).toEqual([complaintId]);
    // Per-tag directories; the hostile value is one encoded folder inside the destination.
    expect(advicePackages.some((dir) => dir === path.join(adviceRoot, advice, 'equities', adviceIds[0]!))).toBe(true);
    expect(advicePackages.some((dir) => dir === path.join(adviceRoot, advice, '%2E%2E%2F%2E%2E%2Fetc', adviceIds[1]!))).toBe(true);
    expect(fs.existsSync(path.join(harness.archiveRoot, 'etc'))).toBe(false);

    for (const dir of [...advicePackages, ...packagesBelow(complaintRoot)]) {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
      expect(manifest.auditChain.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(manifest.files.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(['conversation.json', 'segments.json', 'tags.json']));
      for (const file of manifest.files) expect(sha256(path.join(dir, file.path))).toBe(file.sha256);
    }

    // The lifecycle recorded where its copy went, as a step (archive_copies and the audit log keep it for good).
    const state = await harness.client.workflow.getHandle(conversationWorkflowId(complaintId)).query(lifecycleStateQuery);
    expect(state.steps.filter((step) => step.step === 'archived').map((step) => step.detail)).toEqual([
      { taskId: complaintTask.body.id, path: packagesBelow(complaintRoot)[0], manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);

    // A second run adds nothing, and reports a package altered on disk.
    const target = path.join(advicePackages[0]!, 'conversation.json');
    fs.appendFileSync(target, ' ');
    const second = await runArchiveToCompletion(harness, adviceTask.body.id);
    expect(second).toMatchObject({ selected: 0, done: 0 });
    expect(second.report.verification.checked).toBe(2);
    expect(second.report.verification.failures).toEqual([expect.objectContaining({ problem: 'conversation.json altered' })]);
    expect(packagesBelow(adviceRoot)).toHaveLength(2);
  });

  it('refuses a destination outside the archive root', async () => {
    const refused = await harness.http('POST', '/v1/archive-tasks', { name: 'escape', selection: { tag: { name: 'X' } }, destination: '../../etc' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('destination');
  });
});
