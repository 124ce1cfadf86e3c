import type { RouteHandler } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/query-rows.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import type { listHoldGroupsRoute } from './routes.js';

interface HoldGroupRow {
  group_id: string;
  kind: 'search' | 'conversation';
  reason: string;
  reference: string | null;
  scope: Record<string, unknown> | null;
  conversation_id: string | null;
  placed_at: string;
  placed_by: string;
  active: number;
  released: number;
  status: 'placing' | 'in_force' | 'failed' | 'released';
}

/** `placedAt|groupId` of the last row of a page: the next page starts strictly after it. */
function parseCursor(cursor: string | undefined): { placedAt: string; groupId: string } | undefined {
  if (!cursor) return undefined;
  const [placedAt, groupId] = cursor.split('|');
  if (!placedAt || !groupId || Number.isNaN(Date.parse(placedAt))) {
    throw new ProblemError(422, 'Invalid request', { detail: 'cursor is not one this route returned', errors: [{ pointer: '/cursor', field: 'cursor', message: 'not a cursor of this route' }] });
  }
  return { placedAt, groupId };
}

/**
 * Every conversation of a search hold has its own hold row; the group (scope.holdGroupId) is what the
 * compliance team placed, so it is listed once, with the search that placed it.
 */
export function listHoldGroupsHandler(deps: ApiDeps): RouteHandler<typeof listHoldGroupsRoute, AppEnv> {
  return async (c) => {
    const { status, limit, cursor } = c.req.valid('query');
    const after = parseCursor(cursor);
    // A search hold still placing (or failed) is listed from its run, even before its first page of holds is written.
    const rows = await queryRows<HoldGroupRow>(
      deps.db,
      sql`
        with hold_groups as (
          select coalesce(scope->>'holdGroupId', id::text) as group_id,
                 case when scope ? 'holdGroupId' then 'search' else 'conversation' end as kind,
                 min(reason) as reason, min(reference) as reference, (array_agg(scope))[1] as scope,
                 case when scope ? 'holdGroupId' then null else min(conversation_id::text) end as conversation_id,
                 min(placed_at) as placed_at, min(placed_by) as placed_by,
                 (count(*) filter (where released_at is null))::int as active, (count(*) filter (where released_at is not null))::int as released
          from legal_holds
          group by 1, 2, (scope ? 'holdGroupId')
        ),
        listed as (
          select g.group_id, g.kind, g.reason, g.reference, g.scope, g.conversation_id, coalesce(r.started_at, g.placed_at) as placed_at,
                 g.placed_by, g.active, g.released, r.status as run_status
          from hold_groups g left join search_hold_runs r on g.kind = 'search' and r.hold_group_id::text = g.group_id
          union all
          select r.hold_group_id::text, 'search', r.reason, r.reference, r.scope, null, r.started_at, r.actor->>'id', 0, 0, r.status
          from search_hold_runs r
          where r.status in ('placing', 'failed') and not exists (select 1 from hold_groups g where g.group_id = r.hold_group_id::text)
        )
        select group_id, kind, reason, reference, scope, conversation_id,
               to_char(placed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as placed_at, placed_by, active, released,
               case when run_status in ('placing', 'failed') then run_status when active > 0 then 'in_force' else 'released' end as status
        from listed
        where ${status === 'active' ? sql`(active > 0 or run_status = 'placing')` : sql`true`}
          ${after ? sql`and (placed_at, group_id) < (${after.placedAt}::timestamptz, ${after.groupId})` : sql``}
        order by placed_at desc, group_id desc
        limit ${limit + 1}`,
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return c.json(
      {
        items: page.map((row) => ({
          holdGroupId: row.group_id,
          kind: row.kind,
          reason: row.reason,
          reference: row.reference,
          scope: row.kind === 'search' ? row.scope : null,
          conversationId: row.conversation_id,
          placedAt: row.placed_at,
          placedBy: row.placed_by,
          active: Number(row.active),
          released: Number(row.released),
          status: row.status,
        })),
        next: rows.length > limit && last ? `${last.placed_at}|${last.group_id}` : null,
      },
      200,
    );
  };
}
