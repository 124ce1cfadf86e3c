import type { Context, Hono } from 'hono';
import { callApi, problemText, queryString } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { Csrf, Layout, NextPageLink, Notice, Time } from '../layout.js';
import { checkedForm, refuseForgedForm, renderPage, renderRefusal, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';

type Status = 'assigned' | 'passed' | 'failed' | 'cancelled';

interface Assignment {
  id: string;
  packId: string;
  packVersion: number;
  assigneeUsername: string;
  reason: 'review' | 'onboarding' | 'coaching';
  reviewId: string | null;
  referenceConversationId: string | null;
  status: Status;
  attemptsAllowed: number;
  attemptsUsed: number;
  attemptsLeft: number;
  dueAt: string;
  overdueAt: string | null;
  cancelReason: string | null;
  assignedBy: string;
  assignedAt: string;
  completedAt: string | null;
}

interface Question {
  id: string;
  text: string;
  kind: 'single' | 'multiple';
  options: { id: string; text: string }[];
}

interface Attempt {
  number: number;
  scorePercent: number;
  passed: boolean;
  submittedAt: string;
}

interface AssignmentDetail extends Assignment {
  instructions: string;
  presentation: { sha256: string; fileName: string; mediaType: string; sizeBytes: number }[];
  quiz: { questions: Question[]; passMarkPercent: number; attemptsAllowed: number };
  attempts: Attempt[];
  nextAttemptNumber: number | null;
}

interface HistoryStep {
  id: number;
  step: string;
  actor: string;
  detail: Record<string, unknown>;
  at: string;
}

const STATUSES: readonly Status[] = ['assigned', 'passed', 'failed', 'cancelled'];
const STATUS_LABELS: Record<Status, string> = { assigned: 'open', passed: 'passed', failed: 'failed', cancelled: 'cancelled' };
const REASON_LABELS: Record<Assignment['reason'], string> = { review: 'after a review', onboarding: 'onboarding', coaching: 'coaching' };
const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

function StatusBadge(props: { status: Status }) {
  const kind = props.status === 'passed' ? 'ok' : props.status === 'failed' ? 'fail' : '';
  return <span class={`badge${kind ? ` badge-${kind}` : ''}`}>{STATUS_LABELS[props.status]}</span>;
}

const sizeText = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

/** The outcome of a quiz submission, as the redirect after it names it (?attempt=N). */
function AttemptOutcome(props: { detail: AssignmentDetail; number: number }) {
  const attempt = props.detail.attempts.find((candidate) => candidate.number === props.number);
  if (!attempt) return null;
  const closing =
    props.detail.status === 'passed'
      ? 'The training is complete.'
      : props.detail.status === 'failed'
        ? 'No attempts are left: the training is marked failed.'
        : `${props.detail.attemptsLeft} attempt${props.detail.attemptsLeft === 1 ? '' : 's'} left.`;
  return (
    <Notice kind={attempt.passed ? 'ok' : 'error'}>
      {`Attempt ${attempt.number}: ${attempt.scorePercent} % — ${attempt.passed ? 'passed' : `not passed (pass mark ${props.detail.quiz.passMarkPercent} %)`}. ${closing}`}
    </Notice>
  );
}

function QuizForm(props: { detail: AssignmentDetail; csrfToken: string; chosen?: Record<string, string[]> }) {
  const { detail } = props;
  return (
    <form method="post" action={`/console/training/${detail.id}/attempts`} class="stack quiz" data-confirm="Submit your answers? This uses one of your attempts.">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="attemptNumber" value={String(detail.nextAttemptNumber ?? '')} />
      {detail.quiz.questions.map((question, index) => (
        <fieldset>
          <legend>{`${index + 1}. ${question.text}${question.kind === 'multiple' ? ' (choose every option that applies)' : ''}`}</legend>
          {question.options.map((option) => {
            const id = `answer-${question.id}-${option.id}`;
            return (
              <div class="option">
                <input
                  id={id}
                  type={question.kind === 'single' ? 'radio' : 'checkbox'}
                  name={`answer:${question.id}`}
                  value={option.id}
                  checked={props.chosen?.[question.id]?.includes(option.id) ?? false}
                />{' '}
                <label for={id} class="inline">
                  {option.text}
                </label>
              </div>
            );
          })}
        </fieldset>
      ))}
      <p class="help">{`Pass mark ${detail.quiz.passMarkPercent} %. This is attempt ${detail.nextAttemptNumber ?? '—'} of ${detail.attemptsAllowed}. Unanswered questions count as wrong.`}</p>
      <button type="submit">Submit answers</button>
    </form>
  );
}

async function renderAssignment(
  deps: ConsoleDeps,
  c: Context<ConsoleEnv>,
  assignmentId: string,
  options: { refusal?: string; chosen?: Record<string, string[]>; status?: 200 | 404 | 409 | 422 } = {},
): Promise<Response> {
  const page = CONSOLE_PAGES.trainingAssignment;
  const timeZone = c.var.viewer.principal.timeZone;
  const [detailAnswer, historyAnswer] = await Promise.all([
    callApi<AssignmentDetail>(deps, c, 'GET', `/v1/training-assignments/${assignmentId}`),
    callApi<{ items: HistoryStep[] }>(deps, c, 'GET', `/v1/training-assignments/${assignmentId}/history?limit=200`),
  ]);
  if (!detailAnswer.ok) {
    const refusal = problemText(detailAnswer.body);
    const back = { href: '/console/training', text: 'Back to your training' };
    return renderRefusal(c, { title: 'Training assignment', current: CONSOLE_PAGES.training, refusal, back }, detailAnswer.status === 404 ? 404 : 422);
  }
  const detail = detailAnswer.body;
  const attemptShown = Number(c.req.query('attempt'));
  return renderPage(
    c,
    <Layout title={page.title} viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.training}>
      <p>
        <a href="/console/training">Back to your training</a>
      </p>
      {options.refusal ? <Notice kind="error">{`Your answers were not accepted: ${options.refusal}`}</Notice> : null}
      {Number.isInteger(attemptShown) && attemptShown > 0 ? <AttemptOutcome detail={detail} number={attemptShown} /> : null}
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={detail.status} />
          {detail.overdueAt && detail.status === 'assigned' ? ' overdue' : ''}
        </dd>
        <dt>Why</dt>
        <dd>
          {REASON_LABELS[detail.reason]}
          {detail.reviewId ? (
            <>
              {' '}
              (<a href={`/console/reviews/${detail.reviewId}`}>the review</a>)
            </>
          ) : null}
        </dd>
        <dt>Assigned</dt>
        <dd>
          <Time at={detail.assignedAt} timeZone={timeZone} /> by {detail.assignedBy}
        </dd>
        <dt>Due</dt>
        <dd>
          <Time at={detail.dueAt} timeZone={timeZone} />
        </dd>
        <dt>Attempts</dt>
        <dd>{`${detail.attemptsUsed} of ${detail.attemptsAllowed} used${detail.status === 'assigned' ? `, ${detail.attemptsLeft} left` : ''}`}</dd>
        {detail.completedAt ? (
          <>
            <dt>Completed</dt>
            <dd>
              <Time at={detail.completedAt} timeZone={timeZone} />
            </dd>
          </>
        ) : null}
        {detail.cancelReason ? (
          <>
            <dt>Cancelled because</dt>
            <dd>{detail.cancelReason}</dd>
          </>
        ) : null}
      </dl>

      <section aria-labelledby="material-heading">
        <h2 id="material-heading">Material</h2>
        <pre class="instructions">{detail.instructions}</pre>
        {detail.referenceConversationId ? (
          <p>
            Reference conversation: <a href={`/console/conversations/${detail.referenceConversationId}`}>listen to it</a>
          </p>
        ) : null}
        {detail.presentation.length > 0 ? (
          <ul>
            {detail.presentation.map((file) => (
              <li>
                <a href={`/console/training/${detail.id}/materials/${file.sha256}`} download={file.fileName}>
                  {file.fileName}
                </a>{' '}
                <span class="muted">{`(${file.mediaType}, ${sizeText(file.sizeBytes)})`}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="quiz-heading">
        <h2 id="quiz-heading">Quiz</h2>
        {detail.status === 'assigned' && detail.nextAttemptNumber !== null ? (
          <QuizForm detail={detail} csrfToken={c.var.viewer.csrfToken} chosen={options.chosen} />
        ) : (
          <p>{detail.status === 'passed' ? 'You passed this quiz.' : detail.status === 'failed' ? 'No attempts are left for this quiz.' : 'This training was cancelled.'}</p>
        )}
      </section>

      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {detail.attempts.length === 0 ? (
          <p>No attempts yet.</p>
        ) : (
          <table id="attempts">
            <caption class="muted">Your submissions, scored on the server</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Attempt</th>
                <th scope="col">Submitted</th>
                <th scope="col" class="num">Score</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {detail.attempts.map((attempt) => (
                <tr>
                  <td class="num">{attempt.number}</td>
                  <td>
                    <Time at={attempt.submittedAt} timeZone={timeZone} />
                  </td>
                  <td class="num">{`${attempt.scorePercent} %`}</td>
                  <td>{attempt.passed ? <span class="badge badge-ok">passed</span> : <span class="badge badge-fail">not passed</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {!historyAnswer.ok ? (
          <Notice kind="error">{problemText(historyAnswer.body)}</Notice>
        ) : historyAnswer.body.items.length === 0 ? (
          <p>No steps yet.</p>
        ) : (
          <ol class="timeline" id="history">
            {historyAnswer.body.items.map((step) => (
              <li>
                <strong>{step.step}</strong> · <Time at={step.at} timeZone={timeZone} /> · {step.actor}
                {Object.keys(step.detail).length > 0 ? (
                  <span class="muted">
                    {' '}
                    ·{' '}
                    {Object.entries(step.detail)
                      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
                      .join(', ')}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>,
    options.status ?? 200,
  );
}

/** The posted quiz: `answer:<questionId>` fields carry the chosen option ids. */
function answersOf(fields: Record<string, string | string[]>): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith('answer:')) continue;
    answers[name.slice('answer:'.length)] = Array.isArray(value) ? value : [value];
  }
  return answers;
}

export function registerTrainingPages(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const listPage = CONSOLE_PAGES.training;
  const detailPage = CONSOLE_PAGES.trainingAssignment;

  app.get('/console/training', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, listPage);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const status = STATUSES.includes(c.req.query('status') as Status) ? (c.req.query('status') as Status) : undefined;
    const cursor = c.req.query('cursor');
    // The viewer's own assignments: a manager's view of everyone's is the training report.
    const answer = await callApi<{ items: Assignment[]; nextCursor: string | null }>(
      deps,
      c,
      'GET',
      `/v1/training-assignments${queryString({ assigneeUserId: 'me', status, cursor, limit: String(PAGE_SIZE) })}`,
    );
    const nextHref = answer.ok && answer.body.nextCursor ? `/console/training${queryString({ status, cursor: answer.body.nextCursor })}` : null;
    return renderPage(
      c,
      <Layout title="Your training" viewer={viewerLayoutProps(c)} current={listPage}>
        <form class="filters" method="get" action="/console/training" aria-label="Training filters">
          <div class="field">
            <label for="status">Status</label>
            <select id="status" name="status">
              <option value="">Any status</option>
              {STATUSES.map((option) => (
                <option value={option} selected={status === option}>
                  {STATUS_LABELS[option]}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit">Show</button>
            <a class="button secondary" href="/console/training">
              Reset all
            </a>
          </div>
        </form>
        {!answer.ok ? (
          <Notice kind="error">{problemText(answer.body)}</Notice>
        ) : answer.body.items.length === 0 ? (
          <p>No training assigned to you{status ? ` with status ${STATUS_LABELS[status]}` : ''}.</p>
        ) : (
          <table id="assignments">
            <caption class="muted">Newest first</caption>
            <thead>
              <tr>
                <th scope="col">Training</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                <th scope="col" class="num">Attempts left</th>
                <th scope="col">Assigned</th>
              </tr>
            </thead>
            <tbody>
              {answer.body.items.map((item) => (
                <tr>
                  <td>
                    <a href={`/console/training/${item.id}`}>{`Training ${REASON_LABELS[item.reason]} (pack version ${item.packVersion})`}</a>
                  </td>
                  <td>
                    <StatusBadge status={item.status} />
                    {item.overdueAt && item.status === 'assigned' ? ' overdue' : ''}
                  </td>
                  <td>
                    <Time at={item.dueAt} timeZone={timeZone} />
                  </td>
                  <td class="num">{item.status === 'assigned' ? `${item.attemptsLeft} of ${item.attemptsAllowed}` : '—'}</td>
                  <td>
                    <Time at={item.assignedAt} timeZone={timeZone} /> by {item.assignedBy}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPageLink href={nextHref} />
      </Layout>,
      answer.ok || answer.status >= 500 ? 200 : 422,
    );
  });

  app.get('/console/training/:assignmentId', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, detailPage);
    if (refused) return refused;
    const assignmentId = c.req.param('assignmentId');
    if (!UUID.test(assignmentId)) {
      return renderPage(
        c,
        <Layout title="Training assignment" viewer={viewerLayoutProps(c)} current={listPage}>
          <Notice kind="error">assignmentId: not a training assignment id</Notice>
        </Layout>,
        404,
      );
    }
    return renderAssignment(deps, c, assignmentId);
  });

  app.post('/console/training/:assignmentId/attempts', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, detailPage);
    if (refused) return refused;
    const fields = await checkedForm(c);
    if (!fields) return refuseForgedForm(deps, c, 'TRAINING_QUIZ_SUBMIT');
    const assignmentId = c.req.param('assignmentId');
    if (!UUID.test(assignmentId)) return renderAssignment(deps, c, assignmentId);
    const answers = answersOf(fields);
    const attemptNumber = Number(fields.attemptNumber);
    const answer = await callApi<{ attempt: Attempt }>(deps, c, 'POST', `/v1/training-assignments/${assignmentId}/attempts`, {
      answers,
      ...(Number.isInteger(attemptNumber) && attemptNumber > 0 ? { attemptNumber } : {}),
    });
    if (!answer.ok) {
      return renderAssignment(deps, c, assignmentId, { refusal: problemText(answer.body), chosen: answers, status: answer.status === 409 ? 409 : answer.status === 404 ? 404 : 422 });
    }
    return c.redirect(`/console/training/${assignmentId}?attempt=${answer.body.attempt.number}`, 303);
  });

  // Presentation files are the API's (audited ACCESS_MEDIA there, verified against their digest): passed through.
  app.get('/console/training/:assignmentId/materials/:sha256', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, detailPage);
    if (refused) return refused;
    const sha256 = c.req.param('sha256');
    if (!SHA256.test(sha256)) {
      return renderPage(
        c,
        <Layout title="Training material" viewer={viewerLayoutProps(c)} current={listPage}>
          <Notice kind="error">sha256: not a SHA-256 digest (64 lower-case hex characters)</Notice>
        </Layout>,
        404,
      );
    }
    const response = await deps.api(
      new Request(`http://console.internal/v1/training-materials/${sha256}`, {
        headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId },
      }),
    );
    return new Response(response.body, { status: response.status, headers: new Headers(response.headers) });
  });
}
