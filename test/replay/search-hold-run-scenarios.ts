import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { startSearchHoldRun } from '../../src/legal-holds/search-hold-runs.js';
import { SEARCH_HOLD_RUN_WORKFLOW, searchHoldRunWorkflowId, type SearchHoldRunResult } from '../../src/workflows/search-hold-run.contract.js';
import { uniqueId } from '../support/lifecycle.js';
import type { Scenario } from './scenario.js';

/** A search hold's run over five conversations, two per page and two pages per run: it continues as new twice. */
export const SEARCH_HOLD_RUN_SCENARIOS: Record<string, Scenario> = {
  async 'search-hold-run-paged-continue-as-new'(harness) {
    const matter = uniqueId('replay-hold-run');
    await harness.db.execute(sql`
      insert into conversations (id, source, external_key, channel, started_at, attributes, workflow_id)
      select gen_random_uuid(), 'replay', ${matter} || '-' || g, 'VOICE', now() - g * interval '1 minute', jsonb_build_object('matter', ${matter}::text), 'replay-' || ${matter} || '-' || g
      from generate_series(1, 5) g`);
    const holdGroupId = randomUUID();
    const filters = { attributes: { matter } };
    const actor = { type: 'user' as const, id: 'replay', username: 'replay', fullName: 'Replay' };
    await startSearchHoldRun(harness.db, { holdGroupId, filters, scope: { holdGroupId, query: filters }, reason: 'replay', reference: null, context: { actor, correlationId: holdGroupId } });
    const workflowId = searchHoldRunWorkflowId(holdGroupId);
    const handle = await harness.client.workflow.start(SEARCH_HOLD_RUN_WORKFLOW, { workflowId, taskQueue: harness.taskQueue, args: [{ holdGroupId, pageSize: 2, pagesPerRun: 2 }] });
    const result: SearchHoldRunResult = await handle.result();
    expect(result).toMatchObject({ status: 'in_force', matched: 5, held: 5 });
    return [
      { workflowId, runId: handle.firstExecutionRunId, part: 'first' },
      { workflowId, part: 'last' },
    ];
  },
};
