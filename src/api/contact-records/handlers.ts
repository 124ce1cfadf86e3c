import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import { holdContactRecords, releaseHeldContactRecords } from '../../contact-records/held-deliveries.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { FailureType } from '../../domain/failures.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { CaptureSaturatedError, createCaptureAdmission } from './admission.js';
import { acceptContactRecord, captureHeldContactRecord, type AcceptedContactRecord, type RecordResult } from './ingest.js';
import type { postContactRecordsRoute } from './routes.js';

/** Records of one batch handed to Temporal at once: enough to hide round trips, few enough to be fair. */
const INGEST_CONCURRENCY = 16;

export function contactRecordsHandlers(deps: ApiDeps) {
  // One limit per app (per API process): it bounds what this process asks of Temporal at once.
  const admission = createCaptureAdmission(deps.http?.captureAdmission);

  const postContactRecords: RouteHandler<typeof postContactRecordsRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const batch = Array.isArray(body);
    const records: unknown[] = batch ? body : [body];
    const context = requestContext(c);
    const deadline = admission.deadlineFromNow();
    const results = await auditedCall(
      deps.db,
      {
        ...context,
        activity: 'CONTACT_RECORDS_IMPORT',
        description: `${records.length} contact record(s) received`,
        details: { count: records.length },
      },
      async () => {
        let saturated: CaptureSaturatedError | undefined;
        let unconfirmed = 0;
        const checked = records.map((raw, index) => acceptContactRecord(raw, index));
        const accepted = checked.filter((item): item is AcceptedContactRecord => 'held' in item);
        // The whole batch's records held in one statement; the lifecycles are told only their digests.
        await holdContactRecords(deps.db, accepted.map((item) => item.held));
        // Every record settles before the answer: a batch is answered once, never while some records are still on their way.
        const value = await mapWithConcurrency(checked, INGEST_CONCURRENCY, (item, index) =>
          !('held' in item)
            ? Promise.resolve(item)
            : captureHeldContactRecord(deps, item, context, { limit: admission, deadline }).catch((error: unknown): RecordResult => {
                if (!(error instanceof CaptureSaturatedError)) throw error;
                saturated = error;
                unconfirmed += 1;
                return { index, contactId: null, conversationId: null, status: 'failed' };
              }),
        );
        // A refused record is never taken by its lifecycle: it is not kept either.
        await releaseHeldContactRecords(
          deps.db,
          accepted.filter((item) => ['rejected', 'disposed'].includes(value[item.index]!.status)).map((item) => item.held.payloadSha256),
        );
        if (saturated) {
          // Some records may be stored and some not: the whole request is to be sent again, and each record
          // already stored is then answered as a duplicate.
          c.header('Retry-After', String(saturated.retryAfterSeconds));
          throw new ProblemError(503, 'Capture saturated', {
            detail: `${unconfirmed} of ${records.length} record(s) were not confirmed in time; send the request again after Retry-After (records already stored are answered as duplicates)`,
          });
        }
        const counts: Record<string, number> = {};
        for (const result of value) counts[result.status] = (counts[result.status] ?? 0) + 1;
        const failed = (counts.failed ?? 0) + (counts.rejected ?? 0);
        return { value, result: failed === value.length ? 'FAIL' : 'OK', details: { counts } };
      },
    );
    const [only] = results;
    if (!batch && only && only.status === 'rejected') {
      throw new ProblemError(422, 'Invalid contact record', { detail: only.errors?.[0]?.message, errors: only.errors ?? [] });
    }
    if (!batch && only && only.status === 'disposed') {
      throw new ProblemError(410, FailureType.ConversationDisposed, { detail: only.errors?.[0]?.message });
    }
    return c.json({ results }, 200);
  };

  return { postContactRecords };
}
