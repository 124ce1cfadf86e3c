import type { Hono } from 'hono';
import { callApi, problemText, queryString } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { FilterReset, readFilters } from '../filter-form.js';
import { Layout, NextPageLink, Notice, Time } from '../layout.js';
import { refusePageUnlessAllowed, renderPage, viewerLayoutProps } from '../page-kit.js';
import { registerCalibrationPage } from './review/calibration-page.js';
import { mayCall, registerReviewPage } from './review/review-page.js';
import type { QuestionnaireListItem, ReviewSummary } from './review/review-types.js';

/**
 * The review queue: GET /v1/reviews with the filters in the query string. Which reviews a viewer sees is
 * the API's review scope alone: an evaluator their assignments, an agent their revealed reviews,
 * a supervisor their groups', quality managers and auditors all.
 */

const FILTERS = ['status', 'agent', 'evaluatorId', 'questionnaireId', 'overdue'] as const;
const STATUSES = ['waiting', 'in-progress', 'completed', 'deleted'] as const;
const PAGE_SIZE = 50;

export function registerReviewPages(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.reviews;

  app.get(page.path, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const { principal } = c.var.viewer;
    const timeZone = principal.timeZone;
    const filters = readFilters(c, FILTERS);
    const cursor = c.req.query('cursor');
    const readsQuestionnaires = mayCall(principal.roles, 'GET /v1/questionnaires');
    const [list, questionnaires] = await Promise.all([
      callApi<{ items: ReviewSummary[]; nextCursor: string | null }>(deps, c, 'GET', `/v1/reviews${queryString({ ...filters, limit: String(PAGE_SIZE), cursor })}`),
      readsQuestionnaires ? callApi<{ items: QuestionnaireListItem[] }>(deps, c, 'GET', '/v1/questionnaires?limit=500') : undefined,
    ]);
    const nextHref = list.ok && list.body.nextCursor ? `/console/reviews${queryString({ ...filters, cursor: list.body.nextCursor })}` : null;
    const isEvaluator = principal.roles.includes('evaluator');

    return renderPage(
      c,
      <Layout title="Reviews" viewer={viewerLayoutProps(c)} current={page}>
        <form class="filters" method="get" action="/console/reviews" aria-label="Review filters">
          <div class="field">
            <label for="status">Status</label>
            <select id="status" name="status">
              <option value="">Every state but deleted</option>
              {STATUSES.map((status) => (
                <option value={status} selected={filters.status === status}>
                  {status}
                </option>
              ))}
            </select>
            <FilterReset path={page.path} filters={filters} names={['status']} label="status" />
          </div>
          <div class="field">
            <label for="agent">Agent (username)</label>
            <input id="agent" name="agent" type="text" value={filters.agent ?? ''} />
            <FilterReset path={page.path} filters={filters} names={['agent']} label="agent" />
          </div>
          <div class="field">
            <label for="evaluatorId">Evaluator (user id, or “me”)</label>
            <input id="evaluatorId" name="evaluatorId" type="text" value={filters.evaluatorId ?? ''} />
            <FilterReset path={page.path} filters={filters} names={['evaluatorId']} label="evaluator" />
          </div>
          {questionnaires?.ok ? (
            <div class="field">
              <label for="questionnaireId">Questionnaire</label>
              <select id="questionnaireId" name="questionnaireId">
                <option value="">Any questionnaire</option>
                {questionnaires.body.items.map((questionnaire) => (
                  <option value={questionnaire.id} selected={filters.questionnaireId === questionnaire.id}>
                    {`${questionnaire.name}${questionnaire.state === 'active' ? '' : ` (${questionnaire.state})`}`}
                  </option>
                ))}
              </select>
              <FilterReset path={page.path} filters={filters} names={['questionnaireId']} label="questionnaire" />
            </div>
          ) : filters.questionnaireId ? (
            <input type="hidden" name="questionnaireId" value={filters.questionnaireId} />
          ) : null}
          <div class="field">
            <label for="overdue">Due</label>
            <select id="overdue" name="overdue">
              <option value="">Any</option>
              <option value="true" selected={filters.overdue === 'true'}>
                Overdue
              </option>
              <option value="false" selected={filters.overdue === 'false'}>
                Not overdue
              </option>
            </select>
            <FilterReset path={page.path} filters={filters} names={['overdue']} label="due" />
          </div>
          <div class="actions">
            <button type="submit">Show</button>
            <a class="button secondary" href="/console/reviews">
              Reset all
            </a>
          </div>
        </form>
        <p class="help">
          {isEvaluator ? 'Your queue: the reviews assigned to you. ' : ''}
          {principal.roles.includes('agent') ? 'Your reviews once they are shown to you: acknowledge or dispute each within its window. ' : ''}
          Times are in {timeZone}; hover for UTC.
        </p>
        {!list.ok ? (
          <Notice kind="error">{problemText(list.body)}</Notice>
        ) : list.body.items.length === 0 ? (
          <p>No reviews match these filters.</p>
        ) : (
          <table>
            <caption class="muted">{`Newest first${cursor ? ' (continued)' : ''}`}</caption>
            <thead>
              <tr>
                <th scope="col">Review</th>
                <th scope="col">Status</th>
                <th scope="col">Agent</th>
                <th scope="col">Evaluator</th>
                <th scope="col">Conversation</th>
                <th scope="col">Due</th>
                <th scope="col" class="num">
                  Score
                </th>
                <th scope="col">Tier</th>
              </tr>
            </thead>
            <tbody>
              {list.body.items.map((review) => (
                <tr>
                  <td>
                    <a href={`/console/reviews/${review.id}`}>{`${review.questionnaire.name} v${review.questionnaire.version}`}</a>
                    {review.kind === 'calibration' ? <span class="badge">calibration</span> : null}
                  </td>
                  <td>
                    <span class="badge">{review.status}</span>
                    {review.overdue ? <span class="badge badge-fail">overdue</span> : null}
                    {review.acknowledgedAt ? <span class="badge badge-ok">acknowledged</span> : null}
                  </td>
                  <td>{review.agent.username ?? '—'}</td>
                  <td>{review.evaluator?.username ?? '—'}</td>
                  <td>
                    {review.conversation.deleted ? (
                      <span class="muted">deleted</span>
                    ) : (
                      <a href={`/console/conversations/${review.conversation.id}`} aria-label={`Conversation ${review.conversation.id}`}>
                        {review.conversation.id.slice(0, 8)}
                      </a>
                    )}
                  </td>
                  <td>
                    <Time at={review.dueAt} timeZone={timeZone} />
                  </td>
                  <td class="num">{review.scorePercent === null ? '—' : `${review.scorePercent} %`}</td>
                  <td>{review.tier?.name ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPageLink href={nextHref} firstHref={cursor ? `/console/reviews${queryString(filters)}` : null} />
      </Layout>,
      list.ok || list.status >= 500 ? 200 : 422,
    );
  });

  // Before /console/reviews/:reviewId, which would otherwise take "calibrations" for a review id.
  registerCalibrationPage(app, deps);
  registerReviewPage(app, deps);
}
