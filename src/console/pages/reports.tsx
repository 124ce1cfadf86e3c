import type { Context, Hono } from 'hono';
import type { ReviewReportRow } from '../../reviews/review-reports.js';
import type { TrainingReportRow } from '../../training/training-reports.js';
import { callApi, problemText, queryString, type ApiAnswer } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { fromLocalInput, toLocalInput } from '../form-time.js';
import { Layout, Notice } from '../layout.js';
import { renderPage, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';
import { BarChart, LineChart, MAX_CHART_SERIES, type TrendSeries } from './charts.js';

interface Report {
  rows: ReviewReportRow[];
}

const PERIOD_UNITS = ['day', 'week', 'month'] as const;
type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** More periods than this would cost two API calls each for the per-agent and per-group trend. */
const MAX_TREND_PERIODS = 36;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Filters {
  from: string;
  to: string;
  periodUnit: PeriodUnit;
  agentGroup?: string;
  questionnaireId?: string;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function addMonths(date: string, months: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

function nextPeriodStart(start: string, unit: PeriodUnit): string {
  if (unit === 'day') return addDays(start, 1);
  if (unit === 'week') return addDays(start, 7);
  return addMonths(start, 1);
}

/** The page's filters; dates are local days in the viewer's zone, `to` included. Defaults: this month and the five before. */
function filtersOf(c: Context<ConsoleEnv>, timeZone: string): { filters: Filters; errors: { field: string; message: string }[] } {
  const today = toLocalInput(new Date(), timeZone).slice(0, 10);
  const errors: { field: string; message: string }[] = [];
  const date = (name: 'from' | 'to', fallback: string) => {
    const value = c.req.query(name)?.trim();
    if (!value) return fallback;
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) errors.push({ field: name, message: 'must be a date (YYYY-MM-DD)' });
    return value;
  };
  const unit = c.req.query('periodUnit');
  if (unit && !PERIOD_UNITS.includes(unit as PeriodUnit)) errors.push({ field: 'periodUnit', message: `must be one of ${PERIOD_UNITS.join(', ')}` });
  const filters: Filters = {
    from: date('from', addMonths(today.slice(0, 8) + '01', -5)),
    to: date('to', today),
    periodUnit: PERIOD_UNITS.includes(unit as PeriodUnit) ? (unit as PeriodUnit) : 'month',
    agentGroup: c.req.query('agentGroup')?.trim() || undefined,
    questionnaireId: c.req.query('questionnaireId')?.trim() || undefined,
  };
  if (errors.length === 0 && filters.to < filters.from) errors.push({ field: 'to', message: 'must not lie before from' });
  return { filters, errors };
}

/** The API's range for local days: from the first instant of `from` to the first instant after `to`. */
function rangeOf(filters: Filters, timeZone: string): { from: string; to: string } {
  return { from: fromLocalInput(`${filters.from}T00:00`, timeZone)!, to: fromLocalInput(`${addDays(filters.to, 1)}T00:00`, timeZone)! };
}

function pageQuery(filters: Filters): Record<string, string | undefined> {
  return { from: filters.from, to: filters.to, periodUnit: filters.periodUnit, agentGroup: filters.agentGroup, questionnaireId: filters.questionnaireId };
}

const percent = (value: number | null) => (value === null ? '—' : `${value} %`);

/** Per agent or group: one value per period (the period's average), in the periods' order. */
function trendSeries(periodReports: Report[], periods: number): TrendSeries[] {
  const byKey = new Map<string, TrendSeries & { reviews: number }>();
  periodReports.forEach((report, index) => {
    for (const row of report.rows) {
      const name = row.label ?? row.key ?? '(none)';
      let series = byKey.get(name);
      if (!series) {
        series = { name, values: Array<number | null>(periods).fill(null), notes: Array<string | null>(periods).fill(null), reviews: 0 };
        byKey.set(name, series);
      }
      series.values[index] = row.averagePercent;
      series.notes![index] = `${row.reviews} review${row.reviews === 1 ? '' : 's'}`;
      series.reviews += row.reviews;
    }
  });
  // The busiest first: they are the lines drawn when there are more than the chart holds.
  return [...byKey.values()].sort((a, b) => b.reviews - a.reviews || a.name.localeCompare(b.name));
}

/** The chart and, beside it, the same numbers as a table. */
function TrendSection(props: { id: string; heading: string; what: string; periods: string[]; series: TrendSeries[] }) {
  const drawn = Math.min(props.series.length, MAX_CHART_SERIES);
  const description =
    `Average score per ${props.what} and period, from 0 to 100 %, one line per ${props.what}` +
    (props.series.length > drawn ? `; the ${drawn} ${props.what}s with the most reviews are drawn, the table lists all ${props.series.length}.` : '.');
  return (
    <section aria-labelledby={`${props.id}-heading`}>
      <h3 id={`${props.id}-heading`}>{props.heading}</h3>
      {props.series.length === 0 ? (
        <p>No scored reviews in this range.</p>
      ) : (
        <>
          <LineChart id={`${props.id}-chart`} title={props.heading} description={description} categories={props.periods} series={props.series} />
          <table id={`${props.id}-table`}>
            <caption>{`${props.heading}: average score (reviews)`}</caption>
            <thead>
              <tr>
                <th scope="col">{props.what === 'agent' ? 'Agent' : 'Group'}</th>
                {props.periods.map((period) => (
                  <th scope="col" class="num">
                    {period}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.series.map((series) => (
                <tr>
                  <th scope="row">{series.name}</th>
                  {series.values.map((value, index) => (
                    <td class="num">{series.notes?.[index] ? `${percent(value)} (${series.notes[index]!.split(' ')[0]})` : '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** One column of a numbers table: its heading and the cell of a row. */
interface NumberColumn<Row> {
  heading: string;
  cell(row: Row): string | number;
}

/** A table of one labelled row per key (agent, group, questionnaire) and right-aligned numbers. */
function NumbersTable<Row>(props: { id: string; caption: string; keyLabel: string; rows: readonly Row[]; rowLabel(row: Row): string; columns: readonly NumberColumn<Row>[] }) {
  return (
    <table id={props.id}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.keyLabel}</th>
          {props.columns.map((column) => (
            <th scope="col" class="num">
              {column.heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr>
            <th scope="row">{props.rowLabel(row)}</th>
            {props.columns.map((column) => (
              <td class="num">{column.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const TOTALS_COLUMNS: readonly NumberColumn<ReviewReportRow>[] = [
  { heading: 'Reviews', cell: (row) => row.reviews },
  { heading: 'Average', cell: (row) => percent(row.averagePercent) },
  { heading: 'Lowest', cell: (row) => percent(row.minPercent) },
  { heading: 'Highest', cell: (row) => percent(row.maxPercent) },
  { heading: 'Failed', cell: (row) => row.failed },
  { heading: 'Needs training', cell: (row) => row.needsTraining },
  { heading: 'Disputed', cell: (row) => `${row.disputedReviews} (${Math.round(row.disputeRate * 100)} %)` },
];

function TotalsTable(props: { id: string; caption: string; keyLabel: string; rows: ReviewReportRow[] }) {
  if (props.rows.length === 0) return <p>No reviews in this range.</p>;
  return <NumbersTable {...props} rowLabel={(row) => row.label ?? row.key ?? '(none)'} columns={TOTALS_COLUMNS} />;
}

const TRAINING_COLUMNS: readonly NumberColumn<TrainingReportRow>[] = [
  { heading: 'Assigned', cell: (row) => row.assigned },
  { heading: 'Open', cell: (row) => row.open },
  { heading: 'Passed', cell: (row) => row.passed },
  { heading: 'Failed', cell: (row) => row.failed },
  { heading: 'Cancelled', cell: (row) => row.cancelled },
  { heading: 'Overdue', cell: (row) => row.overdue },
  { heading: 'Quiz attempts', cell: (row) => row.attempts },
];

function TrainingTable(props: { id: string; caption: string; keyLabel: string; answer: ApiAnswer<{ rows: TrainingReportRow[] }> }) {
  if (!props.answer.ok) return <Notice kind="error">{problemText(props.answer.body)}</Notice>;
  if (props.answer.body.rows.length === 0) return <p>No training was assigned in this range.</p>;
  return <NumbersTable id={props.id} caption={props.caption} keyLabel={props.keyLabel} rows={props.answer.body.rows} rowLabel={(row) => row.key} columns={TRAINING_COLUMNS} />;
}

/** Runs the calls a few at a time: each is a report query of its own, and the machine is shared with everything else. */
async function inBatches<T>(calls: (() => Promise<T>)[], size = 4): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < calls.length; index += size) results.push(...(await Promise.all(calls.slice(index, index + size).map((call) => call()))));
  return results;
}

export function registerReportsPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.reports;

  app.get('/console/reports', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const { filters, errors } = filtersOf(c, timeZone);

    const form = (
      <form class="filters" method="get" action="/console/reports" aria-label="Report filters">
        <div class="field">
          <label for="from">From (day)</label>
          <input id="from" name="from" type="date" value={filters.from} />
        </div>
        <div class="field">
          <label for="to">To (day, included)</label>
          <input id="to" name="to" type="date" value={filters.to} />
        </div>
        <div class="field">
          <label for="periodUnit">Trend per</label>
          <select id="periodUnit" name="periodUnit">
            {PERIOD_UNITS.map((unit) => (
              <option value={unit} selected={filters.periodUnit === unit}>
                {unit}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="agentGroup">Agent group</label>
          <input id="agentGroup" name="agentGroup" type="text" value={filters.agentGroup ?? ''} placeholder="all groups" />
        </div>
        <div class="field">
          <label for="questionnaireId">Questionnaire id</label>
          <input id="questionnaireId" name="questionnaireId" type="text" value={filters.questionnaireId ?? ''} placeholder="all questionnaires" />
        </div>
        <div class="actions">
          <button type="submit">Show</button>
          <a class="button secondary" href="/console/reports">
            Reset all
          </a>
        </div>
      </form>
    );

    if (errors.length > 0) {
      return renderPage(
        c,
        <Layout title="Reports" viewer={viewerLayoutProps(c)} current={page}>
          {form}
          <Notice kind="error">{errors.map((error) => `${error.field}: ${error.message}`).join('; ')}</Notice>
        </Layout>,
        422,
      );
    }

    const range = rangeOf(filters, timeZone);
    const common = { ...range, timeZone, agentGroup: filters.agentGroup, questionnaireId: filters.questionnaireId };
    const report = (groupBy: string, bounds = range) =>
      callApi<Report>(deps, c, 'GET', `/v1/review-reports${queryString({ ...common, ...bounds, groupBy, periodUnit: filters.periodUnit })}`);
    const [byPeriod, byAgent, byGroup, trainingByAgent, trainingByGroup] = await Promise.all([
      report('period'),
      report('agent'),
      report('group'),
      callApi<{ rows: TrainingReportRow[] }>(deps, c, 'GET', `/v1/training-reports${queryString({ ...range, groupBy: 'agent' })}`),
      callApi<{ rows: TrainingReportRow[] }>(deps, c, 'GET', `/v1/training-reports${queryString({ ...range, groupBy: 'group' })}`),
    ]);

    const refusal = [byPeriod, byAgent, byGroup].find((answer) => !answer.ok);
    const periodRows = byPeriod.ok ? byPeriod.body.rows : [];
    const periods = periodRows.map((row) => row.label ?? row.key ?? '');
    // The API reports per agent or per period, not both at once: the trend asks per agent (and group) for each
    // period that has reviews, bounded by the period's local start and end within the range.
    const tooManyPeriods = periodRows.length > MAX_TREND_PERIODS;
    const periodBounds = tooManyPeriods
      ? []
      : periodRows.map((row) => {
          const start = fromLocalInput(`${row.key}T00:00`, timeZone)!;
          const end = fromLocalInput(`${nextPeriodStart(row.key!, filters.periodUnit)}T00:00`, timeZone)!;
          return { from: start < range.from ? range.from : start, to: end > range.to ? range.to : end };
        });
    const perPeriod = await inBatches(periodBounds.flatMap((bounds) => [() => report('agent', bounds), () => report('group', bounds)]));
    const agentTrend = trendSeries(perPeriod.filter((_, index) => index % 2 === 0).map((answer) => (answer.ok ? answer.body : { rows: [] })), periods.length);
    const groupTrend = trendSeries(perPeriod.filter((_, index) => index % 2 === 1).map((answer) => (answer.ok ? answer.body : { rows: [] })), periods.length);

    const tiers = new Map<string, number>();
    for (const row of periodRows) for (const [tier, count] of Object.entries(row.tiers)) tiers.set(tier, (tiers.get(tier) ?? 0) + count);
    const tierBars = [...tiers.entries()].map(([label, value]) => ({ label, value })).sort((a, b) => a.label.localeCompare(b.label));
    const totalReviews = periodRows.reduce((sum, row) => sum + row.reviews, 0);
    const exportHref = (groupBy: string) => `/console/reports/export${queryString({ ...pageQuery(filters), groupBy })}`;

    return renderPage(
      c,
      <Layout title="Reports" viewer={viewerLayoutProps(c)} current={page}>
        {form}
        <p class="help">
          {`Completed reviews from ${filters.from} to ${filters.to} (days in ${timeZone})${filters.agentGroup ? ` of agents in ${filters.agentGroup}` : ''}; calibrations and reviews kept out of reports are not counted. Hover over a point or bar for its numbers.`}
        </p>
        {refusal ? <Notice kind="error">{problemText(refusal.body)}</Notice> : null}

        <section aria-labelledby="scores-heading">
          <h2 id="scores-heading">Review scores</h2>
          <p>
            {`${totalReviews} review${totalReviews === 1 ? '' : 's'} in this range. `}
            Export as CSV: <a href={exportHref('agent')}>per agent</a> · <a href={exportHref('group')}>per group</a> · <a href={exportHref('period')}>per period</a>
          </p>
          {tooManyPeriods ? (
            <Notice kind="info">{`The range has ${periodRows.length} ${filters.periodUnit}s with reviews; the trend per agent and group is drawn for at most ${MAX_TREND_PERIODS}. Choose a longer period or a shorter range.`}</Notice>
          ) : (
            <>
              <TrendSection id="agent-trend" heading="Score trend per agent" what="agent" periods={periods} series={agentTrend} />
              <TrendSection id="group-trend" heading="Score trend per group" what="group" periods={periods} series={groupTrend} />
            </>
          )}

          <section aria-labelledby="tiers-heading">
            <h3 id="tiers-heading">Tier distribution</h3>
            {tierBars.length === 0 ? (
              <p>No reviews with a tier in this range.</p>
            ) : (
              <>
                <BarChart
                  id="tier-chart"
                  title="Tier distribution"
                  description={`Reviews per scoring tier, ${filters.from} to ${filters.to}: ${tierBars.map((bar) => `${bar.label} ${bar.value}`).join(', ')}.`}
                  bars={tierBars}
                  unit="reviews"
                />
                <table id="tier-table">
                  <caption>Reviews per tier</caption>
                  <thead>
                    <tr>
                      <th scope="col">Tier</th>
                      <th scope="col" class="num">Reviews</th>
                    </tr>
                  </thead>
                  <tbody>
                    {tierBars.map((bar) => (
                      <tr>
                        <th scope="row">{bar.label}</th>
                        <td class="num">{bar.value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>

          <section aria-labelledby="totals-heading">
            <h3 id="totals-heading">Totals for the range</h3>
            <TotalsTable id="agent-totals" caption="Per agent" keyLabel="Agent" rows={byAgent.ok ? byAgent.body.rows : []} />
            <TotalsTable id="group-totals" caption="Per group (an agent in several groups counts in each)" keyLabel="Group" rows={byGroup.ok ? byGroup.body.rows : []} />
          </section>
        </section>

        <section aria-labelledby="training-heading">
          <h2 id="training-heading">Training</h2>
          <p class="help">Assignments given in the same range and what became of them.</p>
          <TrainingTable id="training-agents" caption="Training per agent" keyLabel="Agent" answer={trainingByAgent} />
          <TrainingTable id="training-groups" caption="Training per group" keyLabel="Group" answer={trainingByGroup} />
        </section>
      </Layout>,
      refusal && refusal.status < 500 ? 422 : 200,
    );
  });

  // The CSV is the API's (audited EVALUATION_REPORT there); the console passes the file through as a download.
  app.get('/console/reports/export', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const { filters, errors } = filtersOf(c, timeZone);
    if (errors.length > 0) {
      return renderPage(
        c,
        <Layout title="Reports" viewer={viewerLayoutProps(c)} current={page}>
          <Notice kind="error">{errors.map((error) => `${error.field}: ${error.message}`).join('; ')}</Notice>
        </Layout>,
        422,
      );
    }
    const groupBy = c.req.query('groupBy') ?? 'agent';
    const query = { ...rangeOf(filters, timeZone), timeZone, groupBy, periodUnit: filters.periodUnit, agentGroup: filters.agentGroup, questionnaireId: filters.questionnaireId };
    const response = await deps.api(
      new Request(`http://console.internal/v1/review-reports/export${queryString(query)}`, {
        headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId },
      }),
    );
    return new Response(response.body, { status: response.status, headers: new Headers(response.headers) });
  });
}
