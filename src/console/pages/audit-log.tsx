import type { Hono } from 'hono';
import { ACTIVITIES } from '../../domain/audit-catalogue.js';
import { callApi, problemText, queryString } from '../api-bridge.js';
import { renderPage, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { toLocalInput } from '../form-time.js';
import { FilterReset, fromInstant, readFilters, toInstant, type Filters as FilterSet } from '../filter-form.js';
import { Layout, NextPageLink, Notice, Time } from '../layout.js';

interface AuditEntry {
  id: string;
  chainSeq: number;
  occurredAt: string;
  activity: string;
  module: string;
  user: string;
  username: string;
  userId: string;
  actorType: string;
  description: string;
  result: string | null;
  phase: string;
  correlationId: string;
  conversationId: string | null;
}

interface Checkpoint {
  chainSeq: number;
  createdAt: string;
}

interface Verification {
  verified: boolean;
  checkedFrom: number;
  checkedTo: number;
  entries: number;
  firstBreak?: { chainSeq: number; reason: string };
  anchors?: { verified: boolean; anchoredTo: number; latestAnchoredAt: string | null };
}

/** The seed's Audit Log filters, each a query parameter so a filtered view can be bookmarked and shared. */
const FILTERS = ['from', 'to', 'activity', 'user', 'result', 'correlationId', 'conversationId'] as const;
type Filters = FilterSet<(typeof FILTERS)[number]>;
const PATH = '/console/audit';

const PAGE_SIZE = 50;
const RESULTS = ['OK', 'FAIL', 'UNAUTHORIZED', 'NONE'] as const;

const modules = (() => {
  const byModule = new Map<string, { name: string; description: string }[]>();
  for (const definition of ACTIVITIES.values()) {
    const list = byModule.get(definition.module) ?? [];
    list.push({ name: definition.name, description: definition.description });
    byModule.set(definition.module, list);
  }
  return [...byModule.entries()].sort(([a], [b]) => a.localeCompare(b));
})();

/** The API's query for the page's filters: local times in the viewer's zone become instants. */
function apiQuery(filters: Filters, timeZone: string): Record<string, string | undefined> {
  return { ...filters, from: fromInstant(filters.from, timeZone), to: toInstant(filters.to, timeZone) };
}

function ResultBadge(props: { result: string | null; phase: string }) {
  if (props.result === null) return <span class="badge">{props.phase}</span>;
  return <span class={`badge badge-${props.result.toLowerCase()}`}>{props.result}</span>;
}

export function registerAuditLogPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.audit;

  app.get('/console/audit', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const { principal } = c.var.viewer;
    const timeZone = principal.timeZone;
    const filters = readFilters(c, FILTERS);
    const cursor = c.req.query('cursor');
    const query = apiQuery(filters, timeZone);

    const [search, checkpoint] = await Promise.all([
      callApi<{ entries: AuditEntry[]; nextCursor: string | null; from: string; to: string }>(
        deps,
        c,
        'GET',
        `/v1/audit${queryString({ ...query, timeZone, limit: String(PAGE_SIZE), cursor })}`,
      ),
      callApi<Checkpoint>(deps, c, 'GET', '/v1/audit/checkpoints/latest'),
    ]);
    // Verifying reads every entry since the last checkpoint: on request, not on every page view.
    const verification =
      c.req.query('verify') === '1'
        ? await callApi<Verification>(deps, c, 'GET', `/v1/audit/verify${checkpoint.ok ? `?fromSeq=${checkpoint.body.chainSeq}` : ''}`)
        : undefined;

    const period = search.ok ? { from: search.body.from, to: search.body.to } : undefined;
    // The default period's start is shown; its end stays empty, meaning "now", so Refresh always includes the newest entries.
    const shown = { ...filters, from: filters.from ?? (period ? toLocalInput(period.from, timeZone) : ''), to: filters.to ?? '' };
    const selected = new Set((filters.activity ?? '').split(',').filter(Boolean));
    const nextHref = search.ok && search.body.nextCursor ? `/console/audit${queryString({ ...filters, cursor: search.body.nextCursor })}` : null;
    const here = `/console/audit${queryString(filters)}`;

    return renderPage(
      c,
      <Layout title="Audit log" viewer={viewerLayoutProps(c)} current={page}>
        <form class="filters" method="get" action="/console/audit" aria-label="Audit log filters">
          <div class="field">
            <label for="from">From</label>
            <input id="from" name="from" type="datetime-local" value={shown.from} />
            <FilterReset path={PATH} filters={filters} names={['from']} label="from" />
          </div>
          <div class="field">
            <label for="to">To (empty: now)</label>
            <input id="to" name="to" type="datetime-local" value={shown.to} />
            <FilterReset path={PATH} filters={filters} names={['to']} label="to" />
          </div>
          <div class="field">
            <label for="activity">Activity</label>
            <select id="activity" name="activity">
              <option value="">All activities</option>
              {modules.map(([module, activities]) => (
                <optgroup label={module}>
                  {activities.map((activity) => (
                    <option value={activity.name} selected={selected.has(activity.name)}>
                      {`${activity.name} — ${activity.description}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            <FilterReset path={PATH} filters={filters} names={['activity']} label="activity" />
          </div>
          <div class="field">
            <label for="user">User</label>
            <input id="user" name="user" type="text" value={filters.user ?? ''} placeholder="username or id" />
            <FilterReset path={PATH} filters={filters} names={['user']} label="user" />
          </div>
          <div class="field">
            <label for="result">Result</label>
            <select id="result" name="result">
              <option value="">Any result</option>
              {RESULTS.map((result) => (
                <option value={result} selected={filters.result === result}>
                  {result === 'NONE' ? 'NONE (begin entries)' : result}
                </option>
              ))}
            </select>
            <FilterReset path={PATH} filters={filters} names={['result']} label="result" />
          </div>
          {filters.correlationId ? <input type="hidden" name="correlationId" value={filters.correlationId} /> : null}
          {filters.conversationId ? <input type="hidden" name="conversationId" value={filters.conversationId} /> : null}
          <div class="actions">
            <button type="submit">Refresh</button>
            <a class="button secondary" href="/console/audit">
              Reset all
            </a>
          </div>
        </form>
        <p class="help">
          Times are in {timeZone}; hover over a time for UTC, over a user for their details. Without a period the last 10 days are shown.
          {filters.correlationId ? ` Showing one request: ${filters.correlationId}.` : ''}
          {filters.conversationId ? ` Showing one conversation: ${filters.conversationId}.` : ''}
        </p>

        <section aria-labelledby="chain-heading">
          <h2 id="chain-heading">Chain</h2>
          {checkpoint.ok ? (
            <p>
              Last checkpoint at position {checkpoint.body.chainSeq}, <Time at={checkpoint.body.createdAt} timeZone={timeZone} />.
            </p>
          ) : (
            <p class="muted">No checkpoint yet.</p>
          )}
          {verification ? (
            verification.ok ? (
              <Notice kind={verification.body.verified ? 'ok' : 'error'}>
                {verification.body.verified
                  ? `Chain verified: ${verification.body.entries} entries from position ${verification.body.checkedFrom} to ${verification.body.checkedTo} are intact${verification.body.anchors ? ` and match the signed anchors (to position ${verification.body.anchors.anchoredTo})` : ''}.`
                  : `Chain broken at position ${verification.body.firstBreak?.chainSeq ?? '?'} (${verification.body.firstBreak?.reason ?? 'anchors disagree'}).`}
              </Notice>
            ) : (
              <Notice kind="error">{`Verification unavailable: ${problemText(verification.body)}`}</Notice>
            )
          ) : null}
          <form method="get" action="/console/audit">
            {Object.entries(filters).map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <input type="hidden" name="verify" value="1" />
            <button type="submit" class="secondary">
              Verify since the last checkpoint
            </button>
          </form>
        </section>

        <section aria-labelledby="entries-heading">
          <h2 id="entries-heading">Entries</h2>
          <p>
            Export these filters:{' '}
            <a href={`/console/audit/export${queryString({ ...filters, format: 'csv' })}`} download>
              CSV
            </a>{' '}
            ·{' '}
            <a href={`/console/audit/export${queryString({ ...filters, format: 'json' })}`} download>
              JSON
            </a>
          </p>
          {!search.ok ? (
            <Notice kind="error">{problemText(search.body)}</Notice>
          ) : search.body.entries.length === 0 ? (
            <p>No entries match these filters.</p>
          ) : (
            <table>
              <caption class="muted">{`Newest first${c.req.query('cursor') ? ' (continued)' : ''}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Activity</th>
                  <th scope="col">User</th>
                  <th scope="col">Result</th>
                  <th scope="col">Description</th>
                  <th scope="col" class="num">Position</th>
                </tr>
              </thead>
              <tbody>
                {search.body.entries.map((entry) => (
                  <tr>
                    <td>
                      <Time at={entry.occurredAt} timeZone={timeZone} />
                    </td>
                    <td>
                      <span title={entry.module}>{entry.activity}</span>
                    </td>
                    <td>
                      <span class="user" title={`${entry.user} · username ${entry.username} · id ${entry.userId} · ${entry.actorType}`}>
                        {entry.user}
                      </span>
                    </td>
                    <td>
                      <ResultBadge result={entry.result} phase={entry.phase} />
                    </td>
                    <td>
                      {entry.description}{' '}
                      <a class="muted" href={`/console/audit${queryString({ correlationId: entry.correlationId })}`} title="Every entry of this request">
                        request
                      </a>
                      {entry.conversationId ? (
                        <>
                          {' '}
                          ·{' '}
                          <a href={`/console/conversations/${entry.conversationId}`} title="The conversation">
                            conversation
                          </a>
                        </>
                      ) : null}
                    </td>
                    <td class="num">{entry.chainSeq}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NextPageLink href={nextHref} firstHref={cursor ? here : null} />
        </section>
      </Layout>,
      search.ok || search.status >= 500 ? 200 : 422,
    );
  });

  // The export is the API's (audited AUDIT_EXPORT there); the console passes the file through as a download.
  app.get('/console/audit/export', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const filters = readFilters(c, FILTERS);
    const format = c.req.query('format') === 'json' ? 'json' : 'csv';
    const response = await deps.api(
      new Request(`http://console.internal/v1/audit/export${queryString({ ...apiQuery(filters, c.var.viewer.principal.timeZone), format })}`, {
        headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId },
      }),
    );
    const headers = new Headers(response.headers);
    if (response.ok) headers.set('content-disposition', `attachment; filename="audit-log.${format}"`);
    return new Response(response.body, { status: response.status, headers });
  });
}
