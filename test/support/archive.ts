import { expect } from 'vitest';
import { contactRecord } from './contact-records.js';
import type { Harness } from './harness.js';
import { eventually } from './lifecycle.js';

/** A captured conversation carrying one tag, for archive tasks to select. */
export async function captureTagged(harness: Harness, tag: string, value: string | null): Promise<string> {
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord());
  const conversationId: string = posted.body.results[0].conversationId;
  const tagged = await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value });
  expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
  return conversationId;
}

/** Runs an archive task now and waits for its run report. */
export async function runArchiveToCompletion(harness: Harness, taskId: string) {
  const started = await harness.http('POST', `/v1/archive-tasks/${taskId}/runs`);
  expect(started.status).toBe(202);
  return eventually(async () => {
    const runs = await harness.http('GET', `/v1/archive-tasks/${taskId}/runs`);
    const run = runs.body.items.find((item: { id: string }) => item.id === started.body.runId);
    return run?.finishedAt ? run : undefined;
  });
}
