import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { and, eq, or, sql } from 'drizzle-orm';
import type { ExportsConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { auditLog, conversations, conversationTags, dataExportRuns } from '../../src/db/schema/index.js';
import { appOnHarness, httpCall, type Harness, type HttpCall } from '../support/harness.js';

/** A temporary exports folder for one test file. */
export function exportsConfig(attachmentMaxBytes = 10 * 1024 * 1024): ExportsConfig {
  return { root: fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-exports-')), attachmentMaxBytes };
}

/** The harness's app with the exports folder set (the harness's own API has none), served on a free port. */
export async function exportsApi(harness: Harness, exports: ExportsConfig): Promise<{ as(token: string): HttpCall; close(): Promise<void> }> {
  const app = appOnHarness(harness, { exports });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    as: (token) => httpCall(baseUrl, token),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ConversationFixture {
  startedAt: string;
  endedAt?: string;
  agent?: string | null;
  queue?: string | null;
  channel?: string;
  tags?: string[];
}

/** Conversation rows as the lifecycle's mirror holds them (no workflow: exports read only the rows). */
export async function insertConversations(db: Database, fixtures: readonly ConversationFixture[]): Promise<string[]> {
  const rows = fixtures.map((fixture) => {
    const id = randomUUID();
    return {
      id,
      source: 'amazon-connect',
      externalKey: `export-test-${id}`,
      channel: fixture.channel ?? 'VOICE',
      startedAt: new Date(fixture.startedAt),
      endedAt: fixture.endedAt ? new Date(fixture.endedAt) : null,
      agentUsername: fixture.agent ?? null,
      queueName: fixture.queue ?? null,
      customerAddress: '+441234567890',
      workflowId: `conversation-${id}`,
    };
  });
  await db.insert(conversations).values(rows);
  const tags = fixtures.flatMap((fixture, index) => (fixture.tags ?? []).map((name) => ({ conversationId: rows[index]!.id, segmentIndex: 0, name, source: 'api', appliedAt: rows[index]!.startedAt })));
  if (tags.length > 0) await db.insert(conversationTags).values(tags);
  return rows.map((row) => row.id);
}

/** Fields of an RFC 4180 text, for checking what a spreadsheet would read. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The activities audited about one export or its runs (by id in the details or the description), oldest first. */
export async function exportActivities(db: Database, exportId: string): Promise<{ activity: string; result: string | null; actorType: string }[]> {
  const runIds = (await db.select({ id: dataExportRuns.id }).from(dataExportRuns).where(eq(dataExportRuns.exportId, exportId))).map((run) => run.id);
  const mentions = [exportId, ...runIds];
  const rows = await db
    .select({ activity: auditLog.activity, result: auditLog.result, actorType: auditLog.actorType })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.module, 'Data Export'),
        or(...mentions.flatMap((id) => [sql`${auditLog.details}->>'exportId' = ${id}`, sql`${auditLog.details}->>'runId' = ${id}`, sql`position(${id} in ${auditLog.description}) > 0`])),
      ),
    )
    .orderBy(auditLog.id);
  return rows;
}
