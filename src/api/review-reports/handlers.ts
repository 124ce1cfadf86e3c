import type { RouteHandler, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditedCall } from '../../audit/write/audited.js';
import { evaluatorAlignment } from '../../reviews/review-report-alignment.js';
import { reviewReportCsv } from '../../reviews/review-report-csv.js';
import { reviewReport, type ReviewReportFilters } from '../../reviews/review-reports.js';
import { requestTimeZone } from '../audit/time-zone.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { calibrationReportRoute, exportReviewReportRoute, reviewReportQuerySchema, reviewReportRoute } from './routes.js';

function rangeOf(query: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (from.getTime() >= to.getTime()) {
    const message = 'must lie after from';
    throw new ProblemError(422, 'Invalid request', { detail: `to ${message}`, errors: [{ pointer: '/to', field: 'to', message }] });
  }
  return { from, to };
}

function filtersOf(c: Context<AppEnv>, query: z.infer<typeof reviewReportQuerySchema>): ReviewReportFilters {
  return {
    groupBy: query.groupBy,
    periodUnit: query.periodUnit,
    timeZone: requestTimeZone(c, query.timeZone),
    ...rangeOf(query),
    questionnaireId: query.questionnaireId,
    agentGroup: query.agentGroup,
    planId: query.planId,
  };
}

/** What the audit entry records of a report's filters. */
const filterDetails = (filters: ReviewReportFilters) => ({
  ...filters,
  periodUnit: filters.groupBy === 'period' ? filters.periodUnit : null,
  from: filters.from.toISOString(),
  to: filters.to.toISOString(),
});

export function reviewReportHandlers(deps: ApiDeps) {
  const auditedReport = (c: Context<AppEnv>, filters: ReviewReportFilters, format: 'json' | 'csv') => {
    const principal = c.get('principal');
    return auditedCall(
      deps.db,
      {
        ...requestContext(c),
        activity: 'EVALUATION_REPORT',
        description: `Review report by ${filters.groupBy}${format === 'csv' ? ' exported as CSV' : ''}`,
        details: { report: 'scores', format, filters: filterDetails(filters) },
      },
      async () => {
        const rows = await reviewReport(deps.db, filters, { roles: principal.roles, supervisedGroups: principal.supervisedGroups });
        return { value: rows, details: { rows: rows.length } };
      },
    );
  };

  const report: RouteHandler<typeof reviewReportRoute, AppEnv> = async (c) => {
    const filters = filtersOf(c, c.req.valid('query'));
    const rows = await auditedReport(c, filters, 'json');
    return c.json(
      {
        groupBy: filters.groupBy,
        periodUnit: filters.groupBy === 'period' ? filters.periodUnit : null,
        timeZone: filters.timeZone,
        from: filters.from.toISOString(),
        to: filters.to.toISOString(),
        rows,
      },
      200,
    );
  };

  const exportReport: RouteHandler<typeof exportReviewReportRoute, AppEnv> = async (c) => {
    const filters = filtersOf(c, c.req.valid('query'));
    const rows = await auditedReport(c, filters, 'csv');
    const stamp = `${filters.from.toISOString().slice(0, 10)}_${filters.to.toISOString().slice(0, 10)}`;
    return c.body(reviewReportCsv(rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="review-report-${filters.groupBy}-${stamp}.csv"`,
    });
  };

  const calibrationReport: RouteHandler<typeof calibrationReportRoute, AppEnv> = async (c) => {
    const range = rangeOf(c.req.valid('query'));
    const evaluators = await auditedCall(
      deps.db,
      {
        ...requestContext(c),
        activity: 'EVALUATION_REPORT',
        description: 'Evaluator alignment from calibrations viewed',
        details: { report: 'calibration', from: range.from.toISOString(), to: range.to.toISOString() },
      },
      async () => {
        const value = await evaluatorAlignment(deps.db, range);
        return { value, details: { rows: value.length } };
      },
    );
    return c.json({ from: range.from.toISOString(), to: range.to.toISOString(), evaluators }, 200);
  };

  return { report, exportReport, calibrationReport };
}
