import type { Hono } from 'hono';
import { callApi, problemText } from '../../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../../console-env.js';
import { CONSOLE_PAGES } from '../../console-pages.js';
import { Layout, Notice, Time } from '../../layout.js';
import { refusePageUnlessAllowed, renderPage, viewerLayoutProps } from '../../page-kit.js';
import type { CalibrationResult } from './review-types.js';

/** A calibration's result: each evaluator's score and deviation, and how far they drift apart per question. */

const points = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100) / 100}`);
const fractionText = (fraction: { fraction: number | null; na: boolean } | undefined) =>
  !fraction ? '—' : fraction.na ? 'N/A' : fraction.fraction === null ? '—' : `${Math.round(fraction.fraction * 100)} %`;

export function registerCalibrationPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.calibration;

  app.get(page.path, async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const found = await callApi<CalibrationResult>(deps, c, 'GET', `/v1/calibrations/${encodeURIComponent(c.req.param('calibrationId'))}`);
    if (!found.ok) {
      return renderPage(
        c,
        <Layout title="Calibration" viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.reviews}>
          <Notice kind="error">{problemText(found.body)}</Notice>
        </Layout>,
        found.status === 404 ? 404 : found.status === 403 ? 403 : 422,
      );
    }
    const result = found.body;
    const percentOf = new Map(result.total.percents.map((entry) => [entry.reviewId, entry]));
    return renderPage(
      c,
      <Layout title={`Calibration: ${result.questionnaire.name}`} viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.reviews}>
        <dl class="facts">
          <dt>Conversation</dt>
          <dd>
            <a href={`/console/conversations/${result.conversationId}`}>{result.conversationId}</a>
          </dd>
          <dt>Questionnaire</dt>
          <dd>{`${result.questionnaire.name}, version ${result.questionnaire.version}`}</dd>
          <dt>Sent</dt>
          <dd>
            {`by ${result.createdBy}, `}
            <Time at={result.createdAt} timeZone={timeZone} />
          </dd>
          <dt>Completed</dt>
          <dd>{`${result.completed} of ${result.evaluators} evaluators`}</dd>
          <dt>Mean score</dt>
          <dd>{result.total.mean === null ? '—' : `${points(result.total.mean)} %`}</dd>
          <dt>Mean absolute deviation</dt>
          <dd>{`${points(result.total.meanAbsoluteDeviation)} percentage points`}</dd>
          <dt>Range</dt>
          <dd>{`${points(result.total.range)} percentage points`}</dd>
        </dl>
        <p class="help">Only completed reviews count in the spread. Calibration reviews never count in an agent’s reports.</p>

        <section aria-labelledby="evaluators-heading">
          <h2 id="evaluators-heading">Evaluators</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Evaluator</th>
                <th scope="col">Status</th>
                <th scope="col">Completed</th>
                <th scope="col" class="num">
                  Score
                </th>
                <th scope="col" class="num">
                  Deviation from the mean
                </th>
              </tr>
            </thead>
            <tbody>
              {result.reviews.map((review) => {
                const total = percentOf.get(review.reviewId);
                return (
                  <tr>
                    <td>
                      <a href={`/console/reviews/${review.reviewId}`} title={review.evaluator.username}>
                        {review.evaluator.fullName}
                      </a>
                    </td>
                    <td>
                      <span class="badge">{review.status}</span>
                    </td>
                    <td>
                      <Time at={review.completedAt} timeZone={timeZone} />
                    </td>
                    <td class="num">{total?.percent === null || total === undefined ? '—' : `${points(total.percent)} %`}</td>
                    <td class="num">{total?.deviation === null || total === undefined ? '—' : points(total.deviation)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>

        <section aria-labelledby="questions-heading">
          <h2 id="questions-heading">Per question</h2>
          <table>
            <caption class="muted">Each evaluator’s answer as the fraction it earns; the spread in percentage points</caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                {result.reviews.map((review) => (
                  <th scope="col" class="num">
                    {review.evaluator.fullName}
                  </th>
                ))}
                <th scope="col" class="num">
                  Mean
                </th>
                <th scope="col" class="num">
                  Mean abs. deviation
                </th>
                <th scope="col" class="num">
                  Range
                </th>
              </tr>
            </thead>
            <tbody>
              {result.questions.map((question) => (
                <tr>
                  <th scope="row">{question.text}</th>
                  {result.reviews.map((review) => (
                    <td class="num">{fractionText(question.fractions.find((fraction) => fraction.reviewId === review.reviewId))}</td>
                  ))}
                  <td class="num">{points(question.mean)}</td>
                  <td class="num">{points(question.meanAbsoluteDeviation)}</td>
                  <td class="num">{points(question.range)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </Layout>,
    );
  });
}
