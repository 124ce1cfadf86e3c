import type { Context, Hono } from 'hono';
import { RETENTION_REASON_LABELS, type RetentionReasonCode } from '../../domain/retention-decision.js';
import { callApi, problemText, queryString, type ApiAnswer } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { renderPage, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';
import { Layout, NextPageLink, Notice, Time } from '../layout.js';

interface Forecast {
  months: { month: string; due: number }[];
  overdue: number;
  onLegalHold: number;
  withoutDeleteTask: number;
}

interface TaskRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  selected: number;
  done: number;
  skipped: number;
  failed: number;
  report: { skippedReasonCodes?: Partial<Record<RetentionReasonCode, number>>; refused?: string | null; [key: string]: unknown };
}

interface DeleteTask {
  id: string;
  name: string;
  selection: Record<string, unknown>;
  retentionSeconds: number;
  enabled: boolean;
  intervalSeconds: number | null;
}

interface ArchiveTask {
  id: string;
  name: string;
  selection: Record<string, unknown>;
  destination: string;
  intervalSeconds: number | null;
  paused: boolean;
}

interface HoldGroup {
  holdGroupId: string;
  kind: 'search' | 'conversation';
  reason: string;
  reference: string | null;
  scope: { query?: Record<string, unknown> } | null;
  conversationId: string | null;
  placedAt: string;
  placedBy: string;
  active: number;
  released: number;
  /** placing: a search hold whose run is still writing its holds; failed: its run stopped (see GET /v1/legal-holds/{id}). */
  status?: 'placing' | 'in_force' | 'failed' | 'released';
}

interface HoldRelease {
  requestId: string;
  holdGroupId: string;
  conversationId: string | null;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  report: { holds: number; conversations: number; dueAtOnce: number };
}

interface Disposal {
  id: string;
  conversationId: string;
  disposedAt: string;
  /** deletion, anonymisation, recording-without-consent, ... */
  kind: string;
  reason: string;
  deleteTaskId: string | null;
  requestedBy: string;
  destroyed: { what: string; sha256: string }[];
  auditEntry: { chainSeq: string; hash: string; activity: string; occurredAt: string } | null;
  mediaDestruction: { state: 'none' | 'pending' | 'done'; files: number; removed: number; inUseElsewhere: number };
}

interface TagDefinition {
  name: string;
  description: string;
  protectionYears: number | null;
}

/** Runs are read per task: a bound on the calls one page view makes; the rest say so. */
const TASKS_WITH_RUNS = 20;
const RUNS_SHOWN = 5;
const PAGE_SIZE = 50;
const PROTECTION_CODES: RetentionReasonCode[] = ['legal-hold', 'open-review', 'retention-extension', 'protected-tag', 'protection-kept'];

/** The page's own query: each section's paging and filters, so a view can be bookmarked. */
const PARAMS = ['months', 'holds', 'holdsCursor', 'disposalsFrom', 'disposalsTo', 'disposalsAfter'] as const;
type Params = Partial<Record<(typeof PARAMS)[number], string>>;

function paramsOf(c: Context<ConsoleEnv>): Params {
  const params: Params = {};
  for (const name of PARAMS) {
    const value = c.req.query(name)?.trim();
    if (value) params[name] = value;
  }
  return params;
}

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day(s)`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} hour(s)`;
  return `${seconds} second(s)`;
}

/** `{ key, value }` and `{ name, value }` (attributes, tags) read as `key = value`; anything else as JSON. */
function valueText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const pair = value as { key?: unknown; name?: unknown; value?: unknown };
  const label = pair.key ?? pair.name;
  if (typeof label === 'string' && Object.keys(value).length <= 2) return pair.value === null || pair.value === undefined ? label : `${label} = ${String(pair.value)}`;
  return Object.entries(value)
    .map(([inner, innerValue]) => `${inner} = ${typeof innerValue === 'object' ? JSON.stringify(innerValue) : String(innerValue)}`)
    .join(', ');
}

/** A task's selection or a hold's search, as the filters a person would have typed. */
function filtersText(selection: Record<string, unknown> | null | undefined): string {
  if (!selection) return '—';
  const parts = Object.entries(selection)
    .filter(([, value]) => value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `${key}: ${valueText(value)}`);
  return parts.length ? parts.join('; ') : 'everything';
}

/** Every month of the period from the current one (UTC, as the forecast counts), with the API's count or none due. */
function forecastMonths(forecast: Forecast, months: number, now = new Date()): { month: string; due: number }[] {
  const due = new Map(forecast.months.map((entry) => [entry.month, entry.due]));
  return Array.from({ length: months }, (_, offset) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 7);
    return { month, due: due.get(month) ?? 0 };
  });
}

/** The month's first day, in words ("2027-03" → "March 2027"). */
function monthName(month: string): string {
  const date = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

function Failed(props: { answer: ApiAnswer<unknown>; what: string }) {
  return <Notice kind="error">{`${props.what} unavailable: ${problemText(props.answer.body)}`}</Notice>;
}

function RunsTable(props: { runs: TaskRun[]; timeZone: string; caption: string; showReasons: boolean }) {
  if (props.runs.length === 0) return <p class="muted">No runs yet.</p>;
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col" class="num">Selected</th>
          <th scope="col" class="num">Done</th>
          <th scope="col" class="num">Kept</th>
          <th scope="col" class="num">Failed</th>
          <th scope="col">Progress</th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => {
          const processed = run.done + run.skipped + run.failed;
          const percent = run.selected > 0 ? Math.min(100, Math.round((processed / run.selected) * 100)) : run.finishedAt ? 100 : 0;
          const reasons = Object.entries(run.report.skippedReasonCodes ?? {}).filter(([, count]) => (count ?? 0) > 0);
          return (
            <tr>
              <td>
                <Time at={run.startedAt} timeZone={props.timeZone} />
              </td>
              <td>{run.finishedAt ? <Time at={run.finishedAt} timeZone={props.timeZone} /> : <span class="badge">running</span>}</td>
              <td class="num">{run.selected}</td>
              <td class="num">{run.done}</td>
              <td class="num">{run.skipped}</td>
              <td class="num">{run.failed}</td>
              <td>
                <progress max={100} value={percent} aria-label={`Run progress ${percent}%`}>
                  {`${percent}%`}
                </progress>{' '}
                {`${percent}%`}
                {run.report.refused ? <span class="muted">{` · refused: ${run.report.refused}`}</span> : null}
                {props.showReasons && reasons.length > 0 ? (
                  <span class="muted">{` · kept for: ${reasons.map(([code, count]) => `${RETENTION_REASON_LABELS[code as RetentionReasonCode] ?? code} ${count}`).join(', ')}`}</span>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function registerRetentionPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.retention;

  app.get('/console/retention', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const params = paramsOf(c);
    const holdStatus = params.holds === 'all' ? 'all' : 'active';
    const months = Math.min(120, Math.max(1, Number.parseInt(params.months ?? '12', 10) || 12));
    const dayStart = (day: string | undefined, plusDays = 0) => {
      if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
      return new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * 86_400_000).toISOString();
    };

    const [forecast, deleteTasks, archiveTasks, holds, disposals, tags, releases] = await Promise.all([
      callApi<Forecast>(deps, c, 'GET', `/v1/retention/forecast${queryString({ months: String(months) })}`),
      callApi<{ items: DeleteTask[] }>(deps, c, 'GET', '/v1/delete-tasks'),
      callApi<{ items: ArchiveTask[] }>(deps, c, 'GET', '/v1/archive-tasks'),
      callApi<{ items: HoldGroup[]; next: string | null }>(deps, c, 'GET', `/v1/legal-holds${queryString({ status: holdStatus, limit: String(PAGE_SIZE), cursor: params.holdsCursor })}`),
      callApi<{ items: Disposal[]; next: string | null }>(
        deps,
        c,
        'GET',
        `/v1/disposals${queryString({ from: dayStart(params.disposalsFrom), to: dayStart(params.disposalsTo, 1), limit: String(PAGE_SIZE), after: params.disposalsAfter })}`,
      ),
      callApi<{ items: TagDefinition[] }>(deps, c, 'GET', '/v1/tag-definitions'),
      callApi<{ items: HoldRelease[] }>(deps, c, 'GET', `/v1/legal-hold-releases${queryString({ limit: String(PAGE_SIZE) })}`),
    ]);
    const deleteList = deleteTasks.ok ? deleteTasks.body.items : [];
    const archiveList = archiveTasks.ok ? archiveTasks.body.items : [];
    const [deleteRuns, archiveRuns] = await Promise.all([
      Promise.all(deleteList.slice(0, TASKS_WITH_RUNS).map((task) => callApi<{ items: TaskRun[] }>(deps, c, 'GET', `/v1/delete-tasks/${task.id}/runs`))),
      Promise.all(archiveList.slice(0, TASKS_WITH_RUNS).map((task) => callApi<{ items: TaskRun[] }>(deps, c, 'GET', `/v1/archive-tasks/${task.id}/runs`))),
    ]);
    const runsOf = (answers: ApiAnswer<{ items: TaskRun[] }>[], index: number) => {
      const answer = answers[index];
      return answer?.ok ? answer.body.items.slice(0, RUNS_SHOWN) : [];
    };

    // What kept conversations in the latest finished run of each delete task, by deciding reason.
    const keptFor = new Map<RetentionReasonCode, number>();
    deleteRuns.forEach((answer) => {
      const latest = answer.ok ? answer.body.items.find((run) => run.finishedAt) : undefined;
      for (const [code, count] of Object.entries(latest?.report.skippedReasonCodes ?? {})) {
        keptFor.set(code as RetentionReasonCode, (keptFor.get(code as RetentionReasonCode) ?? 0) + (count ?? 0));
      }
    });
    const protectingTags = tags.ok ? tags.body.items.filter((tag) => tag.protectionYears) : [];
    const here = (change: Params) => {
      const next: Params = { ...params, ...change };
      for (const key of Object.keys(next) as (keyof Params)[]) if (!next[key]) delete next[key];
      return `/console/retention${queryString(next)}`;
    };

    return renderPage(
      c,
      <Layout title="Retention" viewer={viewerLayoutProps(c)} current={page}>
        <p class="help">{`Times are in ${timeZone}; hover over a time for UTC.`}</p>

        <section aria-labelledby="forecast-heading">
          <h2 id="forecast-heading">Falling due per month</h2>
          <form class="filters" method="get" action="/console/retention" aria-label="Forecast period">
            <div class="field">
              <label for="months">Months ahead</label>
              <input id="months" name="months" type="number" min="1" max="120" value={params.months ?? '12'} />
            </div>
            {params.holds ? <input type="hidden" name="holds" value={params.holds} /> : null}
            <div class="actions">
              <button type="submit">Show</button>
            </div>
          </form>
          {!forecast.ok ? (
            <Failed answer={forecast} what="The forecast" />
          ) : (
            <>
              <dl class="facts" aria-label="Conversations not in the monthly forecast">
                <dt>Overdue now</dt>
                <dd>{forecast.body.overdue}</dd>
                <dt>On legal hold</dt>
                <dd>{forecast.body.onLegalHold}</dd>
                <dt>No delete task applies</dt>
                <dd>{forecast.body.withoutDeleteTask}</dd>
              </dl>
              <table>
                <caption>Conversations a delete task deletes, by the month they fall due</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col" class="num">Falling due</th>
                  </tr>
                </thead>
                <tbody>
                  {forecastMonths(forecast.body, months).map((month) => (
                    <tr>
                      <td>{monthName(month.month)}</td>
                      <td class="num">{month.due}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>

        <section aria-labelledby="protection-heading">
          <h2 id="protection-heading">What protects them</h2>
          <p>
            {'Protecting tags (MiFID II, counted from the conversation start): '}
            {protectingTags.length ? protectingTags.map((tag) => `${tag.name} (${tag.protectionYears} years)`).join(', ') : 'none defined'}.
          </p>
          <table>
            <caption>Conversations the latest run of each delete task kept, by deciding reason</caption>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="num">Kept</th>
              </tr>
            </thead>
            <tbody>
              {PROTECTION_CODES.map((code) => (
                <tr>
                  <td>{`${RETENTION_REASON_LABELS[code]} (${code})`}</td>
                  <td class="num">{keptFor.get(code) ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="help">A conversation's own timeline lists every reason that keeps it, the deciding one first.</p>
        </section>

        <section aria-labelledby="delete-tasks-heading">
          <h2 id="delete-tasks-heading">Delete tasks</h2>
          {!deleteTasks.ok ? (
            <Failed answer={deleteTasks} what="Delete tasks" />
          ) : deleteList.length === 0 ? (
            <p>No delete tasks: nothing is deleted on a schedule.</p>
          ) : (
            deleteList.map((task, index) => (
              <article aria-labelledby={`delete-task-${task.id}`}>
                <h3 id={`delete-task-${task.id}`}>{task.name}</h3>
                <p>
                  {`Deletes ${filtersText(task.selection)} ${duration(task.retentionSeconds)} after the start; `}
                  {task.enabled ? 'enabled' : 'paused'}
                  {task.intervalSeconds ? `, runs every ${duration(task.intervalSeconds)}` : ', runs on demand'}.
                </p>
                {index < TASKS_WITH_RUNS ? (
                  <RunsTable runs={runsOf(deleteRuns, index)} timeZone={timeZone} caption={`Latest runs of ${task.name}`} showReasons />
                ) : (
                  <p class="muted">Runs not shown (more than {TASKS_WITH_RUNS} tasks).</p>
                )}
              </article>
            ))
          )}
        </section>

        <section aria-labelledby="archive-tasks-heading">
          <h2 id="archive-tasks-heading">Archive tasks</h2>
          {!archiveTasks.ok ? (
            <Failed answer={archiveTasks} what="Archive tasks" />
          ) : archiveList.length === 0 ? (
            <p>No archive tasks.</p>
          ) : (
            archiveList.map((task, index) => (
              <article aria-labelledby={`archive-task-${task.id}`}>
                <h3 id={`archive-task-${task.id}`}>{task.name}</h3>
                <p>
                  {`Copies ${filtersText(task.selection)} to ${task.destination}; `}
                  {task.paused ? 'paused' : 'active'}
                  {task.intervalSeconds ? `, runs every ${duration(task.intervalSeconds)}` : ', runs on demand'}.
                </p>
                {index < TASKS_WITH_RUNS ? (
                  <RunsTable runs={runsOf(archiveRuns, index)} timeZone={timeZone} caption={`Latest runs of ${task.name}`} showReasons={false} />
                ) : (
                  <p class="muted">Runs not shown (more than {TASKS_WITH_RUNS} tasks).</p>
                )}
              </article>
            ))
          )}
        </section>

        <section aria-labelledby="holds-heading">
          <h2 id="holds-heading">Legal holds</h2>
          <p>
            {holdStatus === 'active' ? (
              <>
                Showing holds in force · <a href={here({ holds: 'all', holdsCursor: undefined })}>include released ones</a>
              </>
            ) : (
              <>
                Showing all holds, released ones too · <a href={here({ holds: undefined, holdsCursor: undefined })}>only holds in force</a>
              </>
            )}
          </p>
          {!holds.ok ? (
            <Failed answer={holds} what="Legal holds" />
          ) : holds.body.items.length === 0 ? (
            <p>No legal holds.</p>
          ) : (
            <table>
              <caption>Each search hold once, with the search that placed it; holds on one conversation each alone</caption>
              <thead>
                <tr>
                  <th scope="col">Placed</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Scope</th>
                  <th scope="col">By</th>
                  <th scope="col" class="num">In force</th>
                  <th scope="col" class="num">Released</th>
                </tr>
              </thead>
              <tbody>
                {holds.body.items.map((hold) => (
                  <tr>
                    <td>
                      <Time at={hold.placedAt} timeZone={timeZone} />
                    </td>
                    <td>
                      {hold.reason}
                      {hold.reference ? <span class="muted">{` (${hold.reference})`}</span> : null}
                    </td>
                    <td>
                      {hold.kind === 'search' ? (
                        `Search: ${filtersText(hold.scope?.query)}`
                      ) : hold.conversationId ? (
                        <a href={`/console/conversations/${hold.conversationId}/timeline`}>{`Conversation ${hold.conversationId}`}</a>
                      ) : (
                        'one conversation'
                      )}
                    </td>
                    <td>{hold.placedBy}</td>
                    <td class="num">
                      {hold.active}
                      {hold.status === 'placing' || hold.status === 'failed' ? (
                        <>
                          {' '}
                          <span class="badge">{hold.status}</span>
                        </>
                      ) : null}
                    </td>
                    <td class="num">{hold.released}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NextPageLink href={holds.ok && holds.body.next ? here({ holdsCursor: holds.body.next }) : null} />
          <h3 id="releases-heading">Releases awaiting a second person's approval</h3>
          {!releases.ok ? (
            <Failed answer={releases} what="Release requests" />
          ) : releases.body.items.length === 0 ? (
            <p>No release is waiting for approval.</p>
          ) : (
            <table aria-labelledby="releases-heading">
              <thead>
                <tr>
                  <th scope="col">Requested</th>
                  <th scope="col">Hold</th>
                  <th scope="col">Reason</th>
                  <th scope="col">By</th>
                  <th scope="col">Expires</th>
                  <th scope="col" class="num">Conversations</th>
                  <th scope="col" class="num">Deleted at once</th>
                </tr>
              </thead>
              <tbody>
                {releases.body.items.map((release) => (
                  <tr>
                    <td>
                      <Time at={release.requestedAt} timeZone={timeZone} />
                    </td>
                    <td>
                      {release.conversationId ? (
                        <a href={`/console/conversations/${release.conversationId}/timeline`}>{`Conversation ${release.conversationId}`}</a>
                      ) : (
                        `Search hold ${release.holdGroupId}`
                      )}
                    </td>
                    <td>{release.reason}</td>
                    <td>{release.requestedBy}</td>
                    <td>
                      <Time at={release.expiresAt} timeZone={timeZone} />
                    </td>
                    <td class="num">{release.report.conversations}</td>
                    <td class="num">{release.report.dueAtOnce}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="disposals-heading">
          <h2 id="disposals-heading">Disposal ledger</h2>
          <form class="filters" method="get" action="/console/retention" aria-label="Disposal ledger period">
            <div class="field">
              <label for="disposalsFrom">Disposed from</label>
              <input id="disposalsFrom" name="disposalsFrom" type="date" value={params.disposalsFrom ?? ''} />
            </div>
            <div class="field">
              <label for="disposalsTo">Disposed to</label>
              <input id="disposalsTo" name="disposalsTo" type="date" value={params.disposalsTo ?? ''} />
            </div>
            {params.months ? <input type="hidden" name="months" value={params.months} /> : null}
            {params.holds ? <input type="hidden" name="holds" value={params.holds} /> : null}
            <div class="actions">
              <button type="submit">Show disposals</button>
              <a class="button secondary" href={here({ disposalsFrom: undefined, disposalsTo: undefined, disposalsAfter: undefined })}>
                Reset period
              </a>
            </div>
          </form>
          {!disposals.ok ? (
            <Failed answer={disposals} what="The disposal ledger" />
          ) : disposals.body.items.length === 0 ? (
            <p>No disposals in this period.</p>
          ) : (
            <table>
              <caption>{`Oldest first${params.disposalsAfter ? ' (continued)' : ''}; each with the audit-chain entry written in the same transaction`}</caption>
              <thead>
                <tr>
                  <th scope="col">Disposed</th>
                  <th scope="col">Conversation</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Destroyed</th>
                  <th scope="col">Media</th>
                  <th scope="col" class="num">Audit position</th>
                </tr>
              </thead>
              <tbody>
                {disposals.body.items.map((disposal) => (
                  <tr>
                    <td>
                      <Time at={disposal.disposedAt} timeZone={timeZone} />
                    </td>
                    <td>
                      <a href={`/console/conversations/${disposal.conversationId}/timeline`}>{disposal.conversationId}</a>
                    </td>
                    <td>{disposal.kind}</td>
                    <td>
                      {disposal.reason}
                      <span class="muted">{` · by ${disposal.requestedBy}`}</span>
                    </td>
                    <td>
                      {disposal.destroyed.map((item) => (
                        <span class="digest" title={`sha256 ${item.sha256}`}>
                          {`${item.what} `}
                        </span>
                      ))}
                    </td>
                    <td>{`${disposal.mediaDestruction.state}${disposal.mediaDestruction.files ? ` (${disposal.mediaDestruction.removed}/${disposal.mediaDestruction.files} removed)` : ''}`}</td>
                    <td class="num">
                      {disposal.auditEntry ? (
                        <span title={`${disposal.auditEntry.activity} · hash ${disposal.auditEntry.hash}`}>{disposal.auditEntry.chainSeq}</span>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NextPageLink href={disposals.ok && disposals.body.next ? here({ disposalsAfter: disposals.body.next }) : null} />
        </section>
      </Layout>,
    );
  });
}
