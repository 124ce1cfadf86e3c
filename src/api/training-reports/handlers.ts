import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import { trainingReport } from '../../training/training-reports.js';
import { TRAINING_OVERSEERS } from '../../training/training-scope.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { requestContext } from '../request-context.js';
import type { trainingReportRoute } from './routes.js';

export function trainingReportHandlers(deps: ApiDeps) {
  const report: RouteHandler<typeof trainingReportRoute, AppEnv> = async (c) => {
    const { from, to, groupBy, packId } = c.req.valid('query');
    const principal = c.get('principal');
    // Overseers see everyone; a supervisor (the only other role let in) sees their groups.
    const groups = principal.roles.some((role) => TRAINING_OVERSEERS.includes(role)) ? undefined : principal.supervisedGroups;
    const rows = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'TRAINING_REPORT', description: `Training report per ${groupBy}`, details: { from, to, groupBy, packId: packId ?? null, groups: groups ?? null } },
      async () => {
        const value = await trainingReport(deps.db, { from: new Date(from), to: new Date(to), groupBy, packId, groups });
        return { value, details: { rows: value.length } };
      },
    );
    return c.json({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), groupBy, rows }, 200);
  };
  return { report };
}
