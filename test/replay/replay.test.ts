import fs from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

/** Every saved history must replay on the current workflow code: a change that would break running lifecycles fails here. */
const folder = new URL('./histories/', import.meta.url);
const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json')).sort();

describe('replay of saved lifecycle histories', () => {
  it('has saved histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(new URL(file, folder), 'utf8')));
    const workflowBundle = { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') };
    await Worker.runReplayHistory({ workflowBundle, replayName: file }, history, file);
  });
});
