import { randomUUID } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import { createHarness, type Harness } from './harness.js';

/** An agent extension no other test file's rules match: recording rules are global and files run side by side. */
export const uniqueExtension = (firstDigit: string) => `${firstDigit}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** Adds a recording rule for the calls of one agent extension; returns its id, to remove it after the file. */
export async function addExtensionRule(
  harness: Harness,
  extension: string,
  rule: { name: string; position?: number; tag?: { name: string } | null; requireConsent?: boolean },
): Promise<string> {
  const created = await harness.http('POST', '/v1/recording-rules', {
    name: rule.name,
    position: rule.position ?? 50,
    match: { type: 'phone', pattern: extension },
    action: 'record',
    tag: rule.tag ?? null,
    ...(rule.requireConsent === undefined ? {} : { requireConsent: rule.requireConsent }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** Defines tags (idempotently: tag definitions are global and other test files may define the same). */
export async function ensureTags(harness: Harness, tags: { name: string; protectionYears?: 5 | 7 | null }[]): Promise<void> {
  for (const tag of tags) {
    const response = await harness.http('POST', '/v1/tag-definitions', { name: tag.name, protectionYears: tag.protectionYears ?? null });
    expect([201, 409]).toContain(response.status);
  }
}

export function callEvents(callId: string) {
  let sequence = 0;
  const at = () => new Date(Date.now() + sequence * 1000).toISOString();
  return (type: string, fields: Record<string, unknown> = {}) => ({ eventId: `${callId}-${++sequence}`, at: at(), type, ...fields });
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * One harness for a lifecycle test file, and the delete tasks its tests create: tasks are global (every
 * file shares the database), so each is removed when the file ends, and `deleteTasks.push(id)` registers one.
 */
export async function lifecycleHarness(): Promise<{ harness: Harness; deleteTasks: string[] }> {
  const harness = await createHarness();
  const deleteTasks: string[] = [];
  afterAll(async () => {
    for (const taskId of deleteTasks) await harness.http('DELETE', `/v1/delete-tasks/${taskId}`);
    await harness.close();
  });
  return { harness, deleteTasks };
}
