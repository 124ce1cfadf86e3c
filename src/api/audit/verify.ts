import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import { readAnchors } from '../../audit/anchor/anchor-reader.js';
import { verifyAgainstAnchors } from '../../audit/anchor/anchor-verify.js';
import { verifyAuditChain } from '../../audit/read/verify-chain.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { verifyAuditRoute } from './routes.js';

export function verifyAudit(deps: ApiDeps): RouteHandler<typeof verifyAuditRoute, AppEnv> {
  return async (c) => {
    const { fromSeq, toSeq } = c.req.valid('query');
    if (fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq) {
      const message = '`fromSeq` is after `toSeq`';
      throw new ProblemError(422, 'Invalid request', { detail: message, errors: [{ pointer: '/fromSeq', field: 'fromSeq', message }] });
    }
    const context = requestContext(c);
    const verification = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'AUDIT_VERIFY',
        description: 'Audit chain verified',
        details: { fromSeq: fromSeq ?? null, toSeq: toSeq ?? null },
      },
      async () => {
        const chain = await verifyAuditChain(deps.db, { fromSeq, toSeq });
        const anchors = deps.auditAnchors
          ? await verifyAgainstAnchors(deps.db, await readAnchors(deps.auditAnchors.dir, deps.auditAnchors.publicKeyPem), { recompute: false })
          : undefined;
        const value = { ...chain, verified: chain.verified && (anchors?.verified ?? true), ...(anchors ? { anchors } : {}) };
        // The request succeeded whatever the verdict; the verdict is recorded with it.
        return {
          value,
          details: {
            verified: value.verified,
            checkedFrom: value.checkedFrom,
            checkedTo: value.checkedTo,
            firstBreak: value.firstBreak ?? null,
            anchorDisagreement: anchors?.firstDisagreement ?? null,
            anchorProblems: anchors?.problems.length ?? null,
          },
        };
      },
    );
    return c.json(verification, 200);
  };
}
