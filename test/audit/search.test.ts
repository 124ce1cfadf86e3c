import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/write/audit-writer.js';
import { createHarness, type Harness, type HttpCall } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { entriesOf, entryShapes } from '../support/audit-entries.js';

/**
 * The Audit Log screen. Each test filters on users it created, since other test files write to the same
 * log at the same time.
 */
let harness: Harness;
let auditor: HttpCall;
/** A compliance analyst with exactly three entries: AUDIT_VERIFY BEGIN and END, then AUDIT_CHECKPOINT. */
let analyst: Identity;
let analystEntriesFrom: Date;

beforeAll(async () => {
  harness = await createHarness();
  auditor = harness.as(await harness.tokenFor('auditor')).http;
  analyst = await harness.identityFor('compliance-analyst');
  analystEntriesFrom = new Date();
  const http = harness.as(analyst.token).http;
  expect((await http('GET', '/v1/audit/verify?fromSeq=1&toSeq=1')).status).toBe(200);
  expect((await http('POST', '/v1/audit/checkpoints')).status).toBe(201);
});
afterAll(async () => {
  await harness?.close();
});

const search = async (query: string) => {
  const answer = await auditor('GET', `/v1/audit?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};
const shapes = (entries: { activity: string; phase: string; result: string | null }[]) => entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`);

describe('audit log search', () => {
  it("finds a user's entries by username or id, newest first, with the screen's columns", async () => {
    const byName = await search(`user=${analyst.username}`);
    expect(shapes(byName.entries)).toEqual(['AUDIT_CHECKPOINT:SYNC:OK', 'AUDIT_VERIFY:END:OK', 'AUDIT_VERIFY:BEGIN:']);
    expect(byName.entries[1]).toMatchObject({
      activity: 'AUDIT_VERIFY',
      module: 'Audit',
      user: `Test ${analyst.username}`,
      username: analyst.username,
      userId: analyst.userId,
      description: 'Audit chain verified',
      result: 'OK',
      phase: 'END',
      details: expect.objectContaining({ verified: true }),
    });
    expect(byName.entries[0].chainSeq).toBeGreaterThan(byName.entries[1].chainSeq);
    const byId = await search(`user=${analyst.userId}`);
    expect(byId.entries).toEqual(byName.entries);
  });

  it('filters by one or several activities, by result (NONE for BEGIN entries) and by time period', async () => {
    const user = `user=${analyst.username}`;
    expect(shapes((await search(`${user}&activity=AUDIT_VERIFY`)).entries)).toEqual(['AUDIT_VERIFY:END:OK', 'AUDIT_VERIFY:BEGIN:']);
    expect((await search(`${user}&activity=AUDIT_VERIFY,AUDIT_CHECKPOINT`)).entries).toHaveLength(3);
    expect((await search(`${user}&activity=AUDIT_VERIFY&activity=AUDIT_CHECKPOINT`)).entries).toHaveLength(3);
    expect((await search(`${user}&activity=AUDIT_SEARCH`)).entries).toEqual([]);
    expect(shapes((await search(`${user}&result=NONE`)).entries)).toEqual(['AUDIT_VERIFY:BEGIN:']);
    expect((await search(`${user}&result=OK`)).entries).toHaveLength(2);
    expect((await search(`${user}&result=FAIL`)).entries).toEqual([]);

    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await search(`${user}&from=${encodeURIComponent(later)}&to=${encodeURIComponent(later)}`)).entries).toEqual([]);
    const before = new Date(analystEntriesFrom.getTime() - 1_000).toISOString();
    expect((await search(`${user}&to=${encodeURIComponent(before)}`)).entries).toEqual([]);
    expect((await search(`${user}&from=${encodeURIComponent(before)}`)).entries).toHaveLength(3);
  });

  it('shows the last 10 days by default', async () => {
    const body = await search(`user=${analyst.username}`);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(10 * 24 * 60 * 60 * 1000);
    expect(Math.abs(Date.parse(body.to) - Date.now())).toBeLessThan(60_000);
  });

  it("renders dates in the requested time zone, else the caller's own, else UTC", async () => {
    const kolkata = (await search(`user=${analyst.username}&timeZone=Asia/Kolkata`)).entries[0];
    expect(kolkata.timeZone).toBe('Asia/Kolkata');
    expect(kolkata.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+05:30$/);
    expect(Date.parse(kolkata.date)).toBe(Date.parse(kolkata.occurredAt));
    expect(kolkata.date.slice(20, 26)).toBe(kolkata.occurredAt.slice(20, 26));

    const utc = (await search(`user=${analyst.username}`)).entries[0];
    expect(utc.date).toBe(kolkata.occurredAt.replace('Z', '+00:00'));

    const newYorker = harness.as(await harness.tokenFor('cc-manager', { timeZone: 'America/New_York' })).http;
    const own = (await newYorker('GET', `/v1/audit?user=${analyst.username}`)).body;
    expect(own.timeZone).toBe('America/New_York');
    expect(own.entries[0].date).toMatch(/-0[45]:00$/);
    expect(Date.parse(own.entries[0].date)).toBe(Date.parse(own.entries[0].occurredAt));

    expect((await auditor('GET', '/v1/audit?timeZone=Mars/Olympus_Mons')).status).toBe(422);
  });

  it('pages with a keyset cursor without skipping or repeating entries', async () => {
    const user = await harness.identityFor('auditor');
    const http = harness.as(user.token).http;
    for (let i = 0; i < 4; i++) await http('GET', '/v1/audit/verify?fromSeq=1&toSeq=1');
    const all = (await search(`user=${user.username}&limit=100`)).entries;
    expect(all).toHaveLength(8);

    const pages: unknown[][] = [];
    let cursor: string | null = null;
    do {
      const page: { entries: unknown[]; nextCursor: string | null } = await search(`user=${user.username}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(pages.flat()).toEqual(all);
  });

  it('answers 422 for an unknown activity, a malformed cursor and a period that ends before it starts', async () => {
    const unknown = await auditor('GET', '/v1/audit?activity=AUDIT_SEARCH,NOT_AN_ACTIVITY');
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail).toContain('NOT_AN_ACTIVITY');
    expect((await auditor('GET', `/v1/audit?cursor=${Buffer.from('{"at":"yesterday","id":"1"}').toString('base64url')}`)).status).toBe(422);
    expect((await auditor('GET', '/v1/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(422);
  });

  it('audits the search itself with its filters', async () => {
    const answer = await auditor('GET', `/v1/audit?user=${analyst.username}&activity=AUDIT_VERIFY&result=OK`);
    const [begin, end] = await entriesOf(harness.db, answer);
    expect(begin).toMatchObject({ activity: 'AUDIT_SEARCH', phase: 'BEGIN', result: null });
    expect(begin!.details).toMatchObject({ filters: { user: analyst.username, activities: ['AUDIT_VERIFY'], result: 'OK' } });
    expect(end).toMatchObject({ activity: 'AUDIT_SEARCH', phase: 'END', result: 'OK', details: expect.objectContaining({ returned: 1 }) });
  });
});

describe('audit log export', () => {
  it('exports the filtered result as JSON and CSV, the same entries as the search, and audits it', async () => {
    const searched = (await search(`user=${analyst.username}&timeZone=Europe/Prague`)).entries;
    const json = await auditor('GET', `/v1/audit/export?format=json&user=${analyst.username}&timeZone=Europe/Prague`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-.*\.json"$/);
    expect(json.body).toEqual(searched);
    expect(await entryShapes(harness.db, json)).toEqual(['AUDIT_EXPORT:BEGIN:', 'AUDIT_EXPORT:END:OK']);
    const [, end] = await entriesOf(harness.db, json);
    expect(end!.details).toMatchObject({ format: 'json', rows: 3, filters: { user: analyst.username } });

    const csv = await auditor('GET', `/v1/audit/export?user=${analyst.username}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,occurredAt,activity,module,user,username,userId,description,details,result,phase,correlationId,conversationId,chainSeq,id');
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(['AUDIT_CHECKPOINT', 'AUDIT_VERIFY', 'AUDIT_VERIFY']);
    // Details are one JSON cell, quoted with its quotes doubled.
    expect(lines[2]).toMatch(/,"\{"".*""verified"":true.*\}",OK,END,/);
  });

  it('streams a result larger than one page in order, each entry once', async () => {
    const actor = { type: 'system' as const, id: `bulk-${randomUUID()}`, username: `bulk-${randomUUID().slice(0, 8)}`, fullName: 'Bulk writer' };
    const entries = Array.from({ length: 2_500 }, (_, index) => ({
      activity: 'AUDIT_CHECKPOINT',
      phase: 'SYNC' as const,
      result: 'OK' as const,
      actor,
      description: `=bulk entry ${index}`,
      details: { index },
      correlationId: `bulk-${index}`,
    }));
    await appendAudit(harness.db, entries);

    const json = await auditor('GET', `/v1/audit/export?format=json&user=${actor.id}`);
    const indexes = (json.body as { details: { index: number } }[]).map((entry) => entry.details.index);
    expect(indexes).toEqual(Array.from({ length: 2_500 }, (_, index) => 2_499 - index));

    const csv = await auditor('GET', `/v1/audit/export?format=csv&user=${actor.id}&activity=AUDIT_CHECKPOINT`);
    const rows = (csv.body as string).trimEnd().split('\r\n').slice(1);
    expect(rows).toHaveLength(2_500);
    // A cell a spreadsheet would run as a formula is defused.
    expect(rows[0]).toContain(",'=bulk entry 2499,");
  });
});
