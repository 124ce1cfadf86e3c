import type { Context, Hono } from 'hono';
import type { ConversationTrace, TraceStep } from '../../audit/read/trace-types.js';
import type { RetentionView } from '../../retention/retention-decisions.js';
import { callApi, problemText, queryString } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { renderPage, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';
import { Layout, Notice, Time } from '../layout.js';

/** GET /v1/conversations/{id}/retention: the decision plus the facts behind it (tags, holds). */
interface RetentionOverview extends RetentionView {
  conversationId: string;
  state: string;
  deletedAt: string | null;
  protectedUntil: string | null;
  protectingTags: { name: string; protectionYears: number }[];
  activeHolds: { id: string; reason: string; placedAt: string; placedBy: string }[];
}

/** Which steps to show: the audit chain's, the workflow's, or both merged (the default). */
const SOURCES = ['all', 'audit', 'workflow'] as const;
type SourceFilter = (typeof SOURCES)[number];

const STATUS_TEXT: Record<RetentionView['status'], string> = {
  held: 'Kept: under legal hold, with no end in sight',
  keep: 'Kept: no delete task applies',
  due: 'Falls due for deletion',
  deleted: 'Deleted',
};

function sourceOf(c: Context<ConsoleEnv>): SourceFilter {
  const value = c.req.query('source');
  return SOURCES.find((source) => source === value) ?? 'all';
}

/** The Temporal UI page of the lifecycle workflow; none when the engine was not told where the UI is. */
export function temporalWorkflowLink(deps: Pick<ConsoleDeps, 'temporalUiUrl' | 'temporalNamespace'>, workflowId: string): string | undefined {
  if (!deps.temporalUiUrl) return undefined;
  const base = deps.temporalUiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(deps.temporalNamespace ?? 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Where a step sits: its audit-chain position, or its event in the workflow's history. */
function position(step: TraceStep): string {
  if (step.audit) return `audit chain #${step.audit.chainSeq}`;
  if (step.workflow) return `workflow run ${step.workflow.runId.slice(0, 8)}, event ${step.workflow.eventId}`;
  return '—';
}

function actorText(step: TraceStep): string {
  if (!step.actor) return 'unknown';
  const name = step.actor.fullName && step.actor.fullName !== step.actor.username ? `${step.actor.fullName} (${step.actor.username})` : step.actor.username;
  return `${name}, ${step.actor.type}`;
}

function ResultBadge(props: { result: string | null }) {
  if (!props.result) return null;
  return <span class={`badge badge-${props.result.toLowerCase()}`}>{props.result}</span>;
}

function Step(props: { step: TraceStep; timeZone: string }) {
  const { step } = props;
  const details = step.audit && Object.keys(step.audit.details).length > 0 ? JSON.stringify(step.audit.details, null, 2) : null;
  return (
    <li data-source={step.source}>
      <p class="step-head">
        <Time at={step.at} timeZone={props.timeZone} /> · <strong>{step.step}</strong> <ResultBadge result={step.result} />
      </p>
      <p class="muted">
        {`by ${actorText(step)} · ${position(step)}`}
        {step.correlationId ? (
          <>
            {' · '}
            <a href={`/console/audit${queryString({ correlationId: step.correlationId })}`}>request</a>
          </>
        ) : null}
      </p>
      {step.description && step.description !== step.step ? <p>{step.description}</p> : null}
      {details ? (
        <details>
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      ) : null}
    </li>
  );
}

function retainUntil(retention: RetentionView | null, overview: RetentionOverview | undefined, trace: ConversationTrace, timeZone: string) {
  if (!retention) return <span class="muted">unknown (only audit entries remain)</span>;
  if (retention.status === 'deleted') return <span>{'no longer kept: deleted '}<Time at={trace.conversation?.deletedAt} timeZone={timeZone} /></span>;
  if (retention.status === 'held') return <span>until every legal hold is released</span>;
  if (retention.deleteAt) return <Time at={retention.deleteAt} timeZone={timeZone} />;
  const protectedUntil = overview?.protectedUntil ?? trace.conversation?.protectedUntil;
  return protectedUntil ? (
    <span>
      {'at least '}
      <Time at={protectedUntil} timeZone={timeZone} />
      {' (no delete task applies)'}
    </span>
  ) : (
    <span>indefinitely: no delete task applies</span>
  );
}

export function registerTimelinePage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.timeline;

  app.get('/console/conversations/:conversationId/timeline', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const conversationId = c.req.param('conversationId');
    const timeZone = c.var.viewer.principal.timeZone;
    const source = sourceOf(c);
    const [trace, overview] = await Promise.all([
      callApi<ConversationTrace>(deps, c, 'GET', `/v1/conversations/${encodeURIComponent(conversationId)}/trace${queryString({ timeZone })}`),
      callApi<RetentionOverview>(deps, c, 'GET', `/v1/conversations/${encodeURIComponent(conversationId)}/retention`),
    ]);
    const layout = { title: 'Lifecycle timeline', viewer: viewerLayoutProps(c), current: page };
    if (!trace.ok) {
      return renderPage(
        c,
        <Layout {...layout}>
          <Notice kind="error">{problemText(trace.body)}</Notice>
        </Layout>,
        trace.status === 404 ? 404 : trace.status === 403 ? 403 : 422,
      );
    }
    const body = trace.body;
    const retention = body.retention;
    const facts = overview.ok ? overview.body : undefined;
    const steps = source === 'all' ? body.steps : body.steps.filter((step) => step.source === source);
    const workflowLink = temporalWorkflowLink(deps, body.workflow.workflowId);
    const base = `/console/conversations/${encodeURIComponent(conversationId)}`;
    const exportHref = (format: 'json' | 'text') => `${base}/timeline/export${queryString({ format })}`;

    return renderPage(
      c,
      <Layout {...layout}>
        <p class="muted">
          Conversation <code>{conversationId}</code>
          {body.conversation && !body.conversation.deletedAt ? (
            <>
              {' · '}
              <a href={base}>open the conversation</a>
            </>
          ) : null}
        </p>
        <section aria-labelledby="state-heading">
          <h2 id="state-heading">Where it stands</h2>
          <dl class="facts">
            <dt>State</dt>
            <dd>{body.conversation ? body.conversation.lifecycleState : 'gone'}</dd>
            <dt>Outcome</dt>
            <dd>{body.outcome}</dd>
            {body.conversation ? (
              <>
                <dt>Channel</dt>
                <dd>{`${body.conversation.channel} · ${body.conversation.source} ${body.conversation.externalKey}`}</dd>
                <dt>Captured</dt>
                <dd>
                  <Time at={body.conversation.createdAt} timeZone={timeZone} />
                </dd>
              </>
            ) : null}
            <dt>Retention</dt>
            <dd>{retention ? STATUS_TEXT[retention.status] : 'unknown'}{retention?.deleteTask ? ` under delete task “${retention.deleteTask.name}”` : ''}</dd>
            <dt>Retain until</dt>
            <dd>{retainUntil(retention, facts, body, timeZone)}</dd>
            <dt>Workflow</dt>
            <dd>
              {workflowLink ? (
                <a href={workflowLink} rel="external noopener">
                  {`${body.workflow.workflowId} in the Temporal UI`}
                </a>
              ) : (
                <code>{body.workflow.workflowId}</code>
              )}
              {` · ${body.workflow.runs.length} run(s)`}
              {body.workflow.note ? <span class="muted">{` · ${body.workflow.note}`}</span> : null}
            </dd>
          </dl>
          {retention && retention.reasons.length > 0 ? (
            <>
              <h3 id="reasons-heading">Why it is kept (deciding reason first)</h3>
              <ol class="reasons" aria-labelledby="reasons-heading">
                {retention.reasons.map((reason) => (
                  <li data-code={reason.code}>
                    <span class="badge">{reason.code}</span> {reason.text}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {facts && facts.activeHolds.length > 0 ? (
            <>
              <h3>Active legal holds</h3>
              <ul>
                {facts.activeHolds.map((hold) => (
                  <li>
                    {`${hold.reason} — placed by ${hold.placedBy} `}
                    <Time at={hold.placedAt} timeZone={timeZone} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {facts && facts.protectingTags.length > 0 ? (
            <p>{`Protecting tags: ${facts.protectingTags.map((tag) => `${tag.name} (${tag.protectionYears} years)`).join(', ')}.`}</p>
          ) : null}
        </section>

        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">{`Timeline: ${steps.length} step(s), oldest first`}</h2>
          <form class="filters" method="get" action={`${base}/timeline`} aria-label="Timeline filters">
            <div class="field">
              <label for="source">Show</label>
              <select id="source" name="source">
                <option value="all" selected={source === 'all'}>
                  Audit entries and workflow steps
                </option>
                <option value="audit" selected={source === 'audit'}>
                  Audit entries only
                </option>
                <option value="workflow" selected={source === 'workflow'}>
                  Workflow steps only
                </option>
              </select>
            </div>
            <div class="actions">
              <button type="submit">Show</button>
            </div>
          </form>
          <p class="no-print">
            Export the whole trace:{' '}
            <a href={exportHref('json')} download>
              JSON
            </a>{' '}
            ·{' '}
            <a href={exportHref('text')} download>
              Text
            </a>{' '}
            · print this page for a paper copy (navigation and forms are left out).
          </p>
          <p class="help">{`Times are in ${timeZone}; hover over a time for UTC.`}</p>
          {steps.length === 0 ? (
            <p>No steps.</p>
          ) : (
            <ol class="timeline" aria-labelledby="steps-heading">
              {steps.map((step) => (
                <Step step={step} timeZone={timeZone} />
              ))}
            </ol>
          )}
        </section>
      </Layout>,
    );
  });

  // The export is the API's trace (audited CONVERSATION_TRACE there), passed through as a download.
  app.get('/console/conversations/:conversationId/timeline/export', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const conversationId = c.req.param('conversationId');
    const format = c.req.query('format') === 'text' ? 'text' : 'json';
    const response = await deps.api(
      new Request(
        `http://console.internal/v1/conversations/${encodeURIComponent(conversationId)}/trace${queryString({ format, timeZone: c.var.viewer.principal.timeZone })}`,
        { headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId } },
      ),
    );
    const headers = new Headers(response.headers);
    if (response.ok) headers.set('content-disposition', `attachment; filename="trace-${conversationId}.${format === 'text' ? 'txt' : 'json'}"`);
    return new Response(response.body, { status: response.status, headers });
  });
}
