import fs from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';
import { historyFileName } from './scenario.js';
import { SCENARIOS } from './scenarios.js';

/**
 * Saves the histories that replay.test.ts replays. Run it when a workflow changes on purpose, with
 * RECORD_HISTORIES=<version label>, and commit the new files next to the old ones (old ones stay: running
 * workflows of every earlier version must keep replaying).
 */
const label = process.env.RECORD_HISTORIES;
let harness: Harness;

describe.skipIf(!label)('record workflow histories', () => {
  beforeAll(async () => {
    harness = await createHarness();
  });
  afterAll(async () => harness?.close());

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const recorded = await scenario(harness);
      expect(recorded.length).toBeGreaterThan(0);
      for (const workflow of recorded) {
        const history = await harness.client.workflow.getHandle(workflow.workflowId, workflow.runId).fetchHistory();
        const file = new URL(`./histories/${historyFileName(label!, name, workflow)}`, import.meta.url);
        // The CLI's JSON form (`temporal workflow show --output json`), readable and stable across SDK versions.
        fs.writeFileSync(file, historyToJSON(history));
      }
    }, 120_000);
  }
});
