import type { Context, Hono } from 'hono';
import { ROUTE_PERMISSIONS } from '../../../api/permissions.js';
import type { Answers } from '../../../domain/questionnaire.js';
import type { Role } from '../../../domain/roles.js';
import { callApi, problemText, queryString, type ApiAnswer } from '../../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../../console-env.js';
import { CONSOLE_PAGES, mayOpen } from '../../console-pages.js';
import { Csrf, Layout, Notice, Time } from '../../layout.js';
import { checkedForm, refuseForgedForm, refusePageUnlessAllowed, renderPage, renderRefusal, viewerLayoutProps } from '../../page-kit.js';
import { AnswerList, answersFromForm, LiveScore, QuestionnaireForm, questionTextsOf, SectionScores } from './questionnaire-form.js';
import type { QuestionnaireVersion, Review, ReviewEvent } from './review-types.js';

/** Whether the API's permission table lets these roles call the route at all (the API still decides per review). */
export function mayCall(roles: readonly Role[], route: string): boolean {
  const permission = ROUTE_PERMISSIONS[route];
  if (!permission) return false;
  return permission.roles === 'public' || roles.some((role) => (permission.roles as readonly Role[]).includes(role));
}

const DONE_MESSAGES: Record<string, string> = {
  started: 'Review started: answer the questions, then save or complete it.',
  saved: 'Draft saved.',
  completed: 'Review completed. The score below is the server’s.',
  revealed: 'The review is now shown to the agent.',
  hidden: 'The review is hidden from the agent again.',
  acknowledged: 'You acknowledged this review.',
  disputed: 'Your dispute was sent. A quality manager decides it.',
  resolved: 'The dispute was decided; the score was recomputed.',
};

const reviewPath = (reviewId: string, done?: string) => `/console/reviews/${reviewId}${queryString({ done })}`;

interface Override {
  error: string;
  /** The answers the evaluator had in the form when the API refused them, shown again instead of the draft. */
  answers?: Answers;
  status: 400 | 409 | 422;
}

async function loadQuestionnaire(deps: ConsoleDeps, c: Context<ConsoleEnv>, review: Review): Promise<QuestionnaireVersion | undefined> {
  if (!mayCall(c.var.viewer.principal.roles, 'GET /v1/questionnaires/{questionnaireId}/versions/{version}')) return undefined;
  const version = await callApi<QuestionnaireVersion>(deps, c, 'GET', `/v1/questionnaires/${review.questionnaire.id}/versions/${review.questionnaire.version}`);
  return version.ok ? version.body : undefined;
}

function statusOf(answer: ApiAnswer<unknown>): 400 | 403 | 404 | 409 | 422 {
  if (answer.status === 403 || answer.status === 404 || answer.status === 409 || answer.status === 400) return answer.status;
  return 422;
}

const percentText = (percent: number | null | undefined) => (percent === null || percent === undefined ? '—' : `${percent} %`);

async function reviewPage(deps: ConsoleDeps, c: Context<ConsoleEnv>, reviewId: string, override?: Override): Promise<Response> {
  const { principal, csrfToken } = c.var.viewer;
  const timeZone = principal.timeZone;
  const found = await callApi<Review>(deps, c, 'GET', `/v1/reviews/${encodeURIComponent(reviewId)}`);
  if (!found.ok) {
    return renderRefusal(c, { title: 'Review', current: CONSOLE_PAGES.reviews, refusal: problemText(found.body), back: { href: '/console/reviews', text: 'Back to the reviews' } }, statusOf(found));
  }
  const review = found.body;
  const roles = principal.roles;
  const open = review.status === 'waiting' || review.status === 'in-progress';
  const mine = review.evaluator?.id === principal.userId;
  const evaluating = mine && mayCall(roles, 'PUT /v1/reviews/{reviewId}/answers');
  const showsForm = evaluating && open && (review.status === 'in-progress' || override !== undefined);
  // The whole version (options, weights, tiers) only for the form; the texts of its questions come with the review.
  const [questionnaire, history] = await Promise.all([
    showsForm ? loadQuestionnaire(deps, c, review) : undefined,
    callApi<{ items: ReviewEvent[] }>(deps, c, 'GET', `/v1/reviews/${review.id}/history?limit=200`),
  ]);
  const questions = review.questions ?? (questionnaire ? questionTextsOf(questionnaire.definition) : []);
  const openDispute = review.disputes.find((dispute) => dispute.resolution === null);
  const agentMayAnswer =
    mayCall(roles, 'POST /v1/reviews/{reviewId}/acknowledgement') &&
    review.agent.username === principal.username &&
    review.status === 'completed' &&
    review.revealedAt !== null &&
    review.acknowledgedAt === null &&
    !openDispute;
  const mayDispute = agentMayAnswer && !review.scoresFrozen;
  const mayReveal = review.status === 'completed' && review.kind !== 'calibration' && mayCall(roles, 'PUT /v1/reviews/{reviewId}/reveal');
  const mayResolve = openDispute !== undefined && mayCall(roles, 'POST /v1/reviews/{reviewId}/disputes/{disputeId}/resolution');
  const done = c.req.query('done');
  const notice = done ? DONE_MESSAGES[done] : undefined;
  const draft = override?.answers ?? review.answers;

  return renderPage(
    c,
    <Layout title={`Review: ${review.questionnaire.name}`} viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.reviews}>
      {override ? <Notice kind="error">{override.error}</Notice> : notice ? <Notice kind="ok">{notice}</Notice> : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class="badge">{review.status}</span>
          {review.overdue ? <span class="badge badge-fail">overdue</span> : null}
          {review.kind === 'calibration' ? <span class="badge">calibration</span> : null}
        </dd>
        <dt>Conversation</dt>
        <dd>
          {review.conversation.deleted ? (
            <span>
              {review.conversation.id} (deleted <Time at={review.conversation.deletedAt} timeZone={timeZone} />)
            </span>
          ) : (
            <a href={`/console/conversations/${review.conversation.id}`}>{review.conversation.id}</a>
          )}
        </dd>
        <dt>Questionnaire</dt>
        <dd>{`${review.questionnaire.name}, version ${review.questionnaire.version}`}</dd>
        <dt>Agent</dt>
        <dd>{review.agent.username ?? '—'}</dd>
        <dt>Evaluator</dt>
        <dd>{review.evaluator?.username ?? 'not assigned'}</dd>
        <dt>Due</dt>
        <dd>
          <Time at={review.dueAt} timeZone={timeZone} />
        </dd>
        <dt>Started</dt>
        <dd>
          <Time at={review.startedAt} timeZone={timeZone} />
        </dd>
        <dt>Completed</dt>
        <dd>
          <Time at={review.completedAt} timeZone={timeZone} />
        </dd>
        <dt>Shown to the agent</dt>
        <dd>{review.revealedAt ? <Time at={review.revealedAt} timeZone={timeZone} /> : 'not yet'}</dd>
        <dt>Acknowledged</dt>
        <dd>{review.acknowledgedAt ? <Time at={review.acknowledgedAt} timeZone={timeZone} /> : 'not yet'}</dd>
        {review.calibrationId && mayOpen(CONSOLE_PAGES.calibration, roles) ? (
          <>
            <dt>Calibration</dt>
            <dd>
              <a href={`/console/reviews/calibrations/${review.calibrationId}`}>Calibration result</a>
            </dd>
          </>
        ) : null}
      </dl>

      {review.status === 'completed' || review.score ? (
        <section aria-labelledby="score-heading">
          <h2 id="score-heading">Score</h2>
          <p class="server-score">
            <strong>{`Server score: ${percentText(review.scorePercent)}`}</strong>
            {review.tier ? ` · tier ${review.tier.name}${review.tier.needsTraining ? ' (needs training)' : ''}` : ''}
            {review.failed ? ' · failed by a critical question' : ''}
            {review.scoresFrozen ? ' · frozen after a rejected dispute' : ''}
          </p>
          {review.score ? <SectionScores questions={questions} score={review.score} /> : null}
          <AnswerList questions={questions} answers={review.answers} score={review.score} />
        </section>
      ) : null}

      {evaluating && review.status === 'waiting' && !override ? (
        <form method="post" action={`/console/reviews/${review.id}/start`}>
          <Csrf token={csrfToken} />
          <button type="submit">Start review</button>
        </form>
      ) : null}

      {showsForm ? (
        questionnaire ? (
          <section aria-labelledby="form-heading">
            <h2 id="form-heading">Questionnaire</h2>
            <QuestionnaireForm reviewId={review.id} questionnaire={review.questionnaire} definition={questionnaire.definition} tiers={questionnaire.tiers} answers={draft} csrfToken={csrfToken} />
          </section>
        ) : (
          <Notice kind="error">The questionnaire of this review could not be read.</Notice>
        )
      ) : null}

      {mayReveal || agentMayAnswer || mayResolve ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">Actions</h2>
          <div class="actions-row">
            {mayReveal ? (
              <form method="post" action={`/console/reviews/${review.id}/reveal`}>
                <Csrf token={csrfToken} />
                <input type="hidden" name="revealed" value={review.revealedAt ? 'false' : 'true'} />
                <button type="submit" class="secondary">
                  {review.revealedAt ? 'Hide from the agent' : 'Reveal to the agent'}
                </button>
              </form>
            ) : null}
            {agentMayAnswer ? (
              <form method="post" action={`/console/reviews/${review.id}/acknowledgement`} class="stack">
                <Csrf token={csrfToken} />
                <label for="ack-comment">Comment (optional)</label>
                <textarea id="ack-comment" name="comment" rows={2}></textarea>
                <button type="submit" data-confirm="Acknowledge this review? It can then no longer be disputed.">
                  Acknowledge
                </button>
              </form>
            ) : null}
            {mayDispute ? (
              <form method="post" action={`/console/reviews/${review.id}/disputes`} class="stack">
                <Csrf token={csrfToken} />
                <label for="dispute-comment">Reason for the dispute</label>
                <textarea id="dispute-comment" name="comment" rows={3} required></textarea>
                <button type="submit" class="danger" data-confirm="Dispute this review?">
                  Dispute
                </button>
              </form>
            ) : null}
            {mayResolve && openDispute ? (
              <form method="post" action={`/console/reviews/${review.id}/disputes/${openDispute.id}/resolution`} class="stack">
                <Csrf token={csrfToken} />
                <label for="resolution">Decision on the dispute</label>
                <select id="resolution" name="resolution">
                  <option value="accepted">Accept (the agent’s suggested answers apply)</option>
                  <option value="partially-accepted">Partially accept</option>
                  <option value="rejected">Reject (the score is frozen)</option>
                </select>
                <label for="resolution-comment">Comment</label>
                <textarea id="resolution-comment" name="comment" rows={2} required></textarea>
                <button type="submit" data-confirm="Decide this dispute? The score is recomputed.">
                  Decide
                </button>
              </form>
            ) : null}
          </div>
        </section>
      ) : null}

      {review.disputes.length > 0 ? (
        <section aria-labelledby="disputes-heading">
          <h2 id="disputes-heading">Disputes</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col">By</th>
                <th scope="col">Reason</th>
                <th scope="col">Decision</th>
                <th scope="col" class="num">
                  Score before → after
                </th>
              </tr>
            </thead>
            <tbody>
              {review.disputes.map((dispute) => (
                <tr>
                  <td>
                    <Time at={dispute.openedAt} timeZone={timeZone} />
                  </td>
                  <td>{dispute.openedBy}</td>
                  <td>{dispute.comment}</td>
                  <td>
                    {dispute.resolution ? (
                      <>
                        <span class="badge">{dispute.resolution}</span> {`by ${dispute.resolvedBy ?? '?'}: ${dispute.resolutionComment ?? ''}`}
                      </>
                    ) : (
                      <span class="badge">open</span>
                    )}
                  </td>
                  <td class="num">{`${percentText(dispute.scoreBefore)} → ${percentText(dispute.scoreAfter)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {history.ok ? (
          <ol class="timeline">
            {history.body.items.map((event) => (
              <li>
                <strong>{event.step}</strong> {`by ${event.actor}, `}
                <Time at={event.at} timeZone={timeZone} />
              </li>
            ))}
          </ol>
        ) : (
          <Notice kind="error">{problemText(history.body)}</Notice>
        )}
      </section>
      <p>
        <a href="/console/reviews">Back to the reviews</a>
      </p>
    </Layout>,
    override?.status ?? 200,
  );
}

const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

export function registerReviewPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.review;

  app.get(page.path, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    return reviewPage(deps, c, c.req.param('reviewId'));
  });

  /**
   * Posts one action to the API and goes back to the review with a notice, or shows the review again with
   * the API's refusal. `bodyOf` turns the checked form into the API's body.
   */
  const action = (suffix: string, activity: string, method: string, done: string | ((fields: Record<string, string | string[]>) => string), bodyOf: (fields: Record<string, string | string[]>) => unknown) =>
    app.post(`${page.path}${suffix}`, async (c) => {
      const refused = await refusePageUnlessAllowed(deps, c, page);
      if (refused) return refused;
      const fields = await checkedForm(c);
      if (!fields) return refuseForgedForm(deps, c, activity);
      const reviewId = c.req.param('reviewId');
      const apiPath = `/v1/reviews/${encodeURIComponent(reviewId)}${suffix}`;
      const answer = await callApi(deps, c, method, apiPath, bodyOf(fields));
      if (!answer.ok) return reviewPage(deps, c, reviewId, { error: problemText(answer.body), status: answer.status === 409 ? 409 : 422 });
      return c.redirect(reviewPath(reviewId, typeof done === 'string' ? done : done(fields)), 303);
    });

  action('/start', 'START_EVALUATION', 'POST', 'started', () => ({}));
  action('/reveal', 'REVEAL_TO_AGENT_CHANGED', 'PUT', (fields) => (text(fields.revealed) === 'false' ? 'hidden' : 'revealed'), (fields) => ({
    revealed: text(fields.revealed) !== 'false',
  }));
  action('/acknowledgement', 'REVIEW_ACKNOWLEDGE', 'POST', 'acknowledged', (fields) => (text(fields.comment) ? { comment: text(fields.comment) } : {}));
  action('/disputes', 'REVIEW_DISPUTE', 'POST', 'disputed', (fields) => ({ comment: text(fields.comment) }));

  app.post(`${page.path}/disputes/:disputeId/resolution`, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const fields = await checkedForm(c);
    if (!fields) return refuseForgedForm(deps, c, 'REVIEW_DISPUTE_RESOLVE');
    const reviewId = c.req.param('reviewId');
    const answer = await callApi(deps, c, 'POST', `/v1/reviews/${encodeURIComponent(reviewId)}/disputes/${encodeURIComponent(c.req.param('disputeId'))}/resolution`, {
      resolution: text(fields.resolution),
      comment: text(fields.comment),
    });
    if (!answer.ok) return reviewPage(deps, c, reviewId, { error: problemText(answer.body), status: answer.status === 409 ? 409 : 422 });
    return c.redirect(reviewPath(reviewId, 'resolved'), 303);
  });

  /** Save the draft or complete: the form's answers replace the draft first, so what is completed is exactly what is on the screen. */
  app.post(`${page.path}/answers`, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const fields = await checkedForm(c);
    if (!fields) return refuseForgedForm(deps, c, 'SAVE_EVALUATION');
    const completing = text(fields.intent) === 'complete';
    const reviewId = c.req.param('reviewId');
    const found = await callApi<Review>(deps, c, 'GET', `/v1/reviews/${encodeURIComponent(reviewId)}`);
    if (!found.ok) return reviewPage(deps, c, reviewId);
    const questionnaire = await loadQuestionnaire(deps, c, found.body);
    if (!questionnaire) return reviewPage(deps, c, reviewId, { error: 'The questionnaire of this review could not be read.', status: 422 });
    const answers = answersFromForm(questionnaire.definition, fields);
    const saved = await callApi(deps, c, 'PUT', `/v1/reviews/${reviewId}/answers`, { answers });
    if (!saved.ok) return reviewPage(deps, c, reviewId, { error: problemText(saved.body), answers, status: saved.status === 409 ? 409 : 422 });
    if (!completing) return c.redirect(reviewPath(reviewId, 'saved'), 303);
    const completed = await callApi(deps, c, 'POST', `/v1/reviews/${reviewId}/complete`, {});
    if (!completed.ok) return reviewPage(deps, c, reviewId, { error: problemText(completed.body), answers, status: completed.status === 409 ? 409 : 422 });
    return c.redirect(reviewPath(reviewId, 'completed'), 303);
  });

  /** The live score: the form's answers scored by the domain's `scoreReview`, as an HTML fragment for htmx. */
  app.post(`${page.path}/score`, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const fields = await checkedForm(c);
    if (!fields) return refuseForgedForm(deps, c, 'SAVE_EVALUATION');
    // Only the questionnaire version the form names is read: scoring posted answers reveals nothing of the
    // review itself, and a review read here would add an audited look-up to the trail at every click.
    const version = await callApi<QuestionnaireVersion>(
      deps,
      c,
      'GET',
      `/v1/questionnaires/${encodeURIComponent(text(fields.questionnaireId))}/versions/${encodeURIComponent(text(fields.questionnaireVersion))}`,
    );
    if (!version.ok) return c.html(`<p class="notice notice-error" role="alert">${escapeHtml(problemText(version.body))}</p>`, statusOf(version));
    const questionnaire = version.body;
    const fragment = <LiveScore definition={questionnaire.definition} tiers={questionnaire.tiers} answers={answersFromForm(questionnaire.definition, fields)} />;
    return c.html(String(await fragment));
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
