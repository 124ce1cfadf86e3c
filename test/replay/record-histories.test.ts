import fs from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { createHarness, type Harness } from '../support/harness.js';
import { SCENARIOS } from './scenarios.js';

/**
 * Saves the histories that replay.test.ts replays. Run it when the workflow changes on purpose, with
 * RECORD_HISTORIES=<version label>, and commit the new files next to the old ones (old ones stay: running
 * workflows of every earlier version must keep replaying).
 */
const label = process.env.RECORD_HISTORIES;
let harness: Harness;

describe.skipIf(!label)('record lifecycle histories', () => {
  beforeAll(async () => {
    harness = await createHarness();
  });
  afterAll(async () => harness?.close());

  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const conversationId = await scenario(harness);
      const history = await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).fetchHistory();
      const file = new URL(`./histories/${label}--${name}.json`, import.meta.url);
      // The CLI's JSON form (`temporal workflow show --output json`), readable and stable across SDK versions.
      fs.writeFileSync(file, historyToJSON(history));
    }, 120_000);
  }
});
