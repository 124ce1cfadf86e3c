import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntriesOf, auditTrailOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

const createTask = (name: string, destination: string) =>
  harness.http('POST', '/v1/archive-tasks', { name, selection: { tag: { name: 'OVERLAP_TEST' } }, destination });

describe('archive task destinations never overlap', () => {
  it('refuses the same destination, one inside it and one around it, however written, with 409 naming the other task', async () => {
    const base = uniqueId('drive');
    const first = await createTask(`first ${base}`, `${base}/advice`);
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    for (const destination of [`${base}/advice`, `./${base}//advice/`, `${base}/x/../advice`, `${base.toUpperCase()}/Advice`, `${base}/advice/VIP`, base, `${harness.archiveRoot}/${base}`]) {
      const refused = await createTask(`second ${base}`, destination);
      expect(refused.status, destination).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.detail).toContain(first.body.id);
      expect(refused.body.detail).toContain(`first ${base}`);
      expect(refused.body.errors[0].field).toBe('destination');
      // Audited like every archive task change: the refusal is the END of the request, FAIL.
      expect(await auditTrailOf(harness.db, refused.headers.get('x-request-id'))).toEqual(['ARCHIVE_TASK_CHANGE:BEGIN:null', 'ARCHIVE_TASK_CHANGE:END:FAIL']);
    }

    // A sibling whose name merely starts the same is its own folder.
    for (const destination of [`${base}/advice-2`, `${base}/complaints`]) {
      const sibling = await createTask(`sibling ${destination}`, destination);
      expect(sibling.status, destination).toBe(201);
    }
    const listed = await harness.http('GET', '/v1/archive-tasks');
    expect(listed.body.items.filter((task: { destination: string }) => task.destination.startsWith(base)).map((task: { destination: string }) => task.destination).sort()).toEqual(
      [`${base}/advice`, `${base}/advice-2`, `${base}/complaints`],
    );
  });

  it('lets exactly one of several tasks created at once have a destination', async () => {
    const destination = uniqueId('race-drive');
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => createTask(`race ${index}`, index % 2 === 0 ? destination : `${destination}/sub-${index}`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = answers.find((answer) => answer.status === 201)!;
    for (const loser of answers.filter((answer) => answer.status === 409)) expect(loser.body.detail).toContain(winner.body.id);
    const failure = (await auditEntriesOf(harness.db, answers.find((answer) => answer.status === 409)!.headers.get('x-request-id')!)).at(-1)!;
    expect(failure.details).toMatchObject({ error: expect.stringContaining(winner.body.id) });
  });
});
