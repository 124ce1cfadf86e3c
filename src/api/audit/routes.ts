import { createRoute, z } from '@hono/zod-openapi';
import { jsonResponse, problemResponses } from '../openapi-shared.js';
import { cursorSchema, pageSizeSchema } from '../pagination.js';

const AUDIT_TAG = 'Audit';

/** The Audit Log screen's filters; search and export take the same ones. */
export const auditFilterQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Start of the time period (inclusive); default: 10 days before `to`' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'End of the time period (inclusive); default: now' }),
  activity: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .openapi({ description: 'One or several catalogue activities: repeat the parameter or separate names with commas', example: 'AUDIT_SEARCH' }),
  user: z.string().min(1).max(256).optional().openapi({ description: "The acting user's id or username" }),
  result: z.enum(['OK', 'FAIL', 'UNAUTHORIZED', 'NONE']).optional().openapi({ description: 'NONE selects BEGIN entries, which have no result' }),
  correlationId: z.string().min(1).max(256).optional().openapi({ description: 'Every entry of one request' }),
  conversationId: z.uuid().optional(),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "IANA time zone for `date`; default: the caller's own, else UTC", example: 'Europe/Prague' }),
});

export const auditEntrySchema = z
  .object({
    id: z.string(),
    chainSeq: z.number().int(),
    date: z.string().openapi({ description: 'When it happened, in the requested time zone', example: '2026-11-20T11:00:00.123456+01:00' }),
    occurredAt: z.string().openapi({ description: 'The same instant in UTC', example: '2026-11-20T10:00:00.123456Z' }),
    timeZone: z.string(),
    activity: z.string(),
    module: z.string(),
    user: z.string().openapi({ description: 'Full name of who performed it' }),
    username: z.string(),
    userId: z.string(),
    actorType: z.string(),
    description: z.string(),
    details: z.record(z.string(), z.unknown()),
    result: z.string().nullable().openapi({ description: 'OK, FAIL or UNAUTHORIZED; null on a BEGIN entry' }),
    phase: z.enum(['BEGIN', 'END', 'SYNC']),
    correlationId: z.string(),
    conversationId: z.string().nullable(),
  })
  .openapi('AuditEntry');

export const searchAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit',
  tags: [AUDIT_TAG],
  summary: 'Search the audit log, newest first',
  description: 'Filters by time period (default: the last 10 days), activity, user and result; pages with `nextCursor`. Audited as AUDIT_SEARCH.',
  request: { query: auditFilterQuery.extend({ limit: pageSizeSchema, cursor: cursorSchema }) },
  responses: {
    200: {
      description: 'One page of entries',
      content: {
        'application/json': {
          schema: z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable(), from: z.string(), to: z.string(), timeZone: z.string() }),
        },
      },
    },
    ...problemResponses(401, 403, 422),
  },
});

export const exportAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit/export',
  tags: [AUDIT_TAG],
  summary: 'Export the filtered audit log as CSV or JSON',
  description: 'The whole filtered result, streamed newest first. Audited as AUDIT_EXPORT: BEGIN when asked, END when the file is complete.',
  request: { query: auditFilterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') }) },
  responses: {
    200: {
      description: 'The export',
      content: {
        'text/csv': { schema: z.string() },
        'application/json': { schema: z.array(auditEntrySchema) },
      },
    },
    ...problemResponses(401, 403, 422),
  },
});

const chainSeqParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();

export const verifyAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit/verify',
  tags: [AUDIT_TAG],
  summary: 'Verify the audit hash chain over a range',
  description:
    'Recomputes every entry hash in the range in the database and checks each link, then compares the checkpoints and the chain head ' +
    'with the log, so edits, gaps and a cut-off tail are all reported. Then compares the log with the signed anchors written outside the ' +
    'database, which a database superuser who rewrites an entry and recomputes every later hash cannot forge; `anchors.firstDisagreement` ' +
    'names the first entry that differs. Default range: the whole chain. Audited as AUDIT_VERIFY.',
  request: { query: z.object({ fromSeq: chainSeqParam, toSeq: chainSeqParam }) },
  responses: {
    200: {
      description: 'The verdict; `firstBreak` names the first broken position',
      content: {
        'application/json': {
          schema: z
            .object({
              verified: z.boolean(),
              checkedFrom: z.number().int(),
              checkedTo: z.number().int(),
              entries: z.number().int(),
              checkpoints: z.number().int().openapi({ description: 'Checkpoints (and the chain head) compared with the log' }),
              firstBreak: z
                .object({
                  chainSeq: z.number().int(),
                  id: z.string().nullable(),
                  reason: z.enum(['hash-mismatch', 'prev-hash-mismatch', 'gap', 'checkpoint-mismatch']),
                  expected: z.string(),
                  actual: z.string(),
                })
                .optional(),
              anchors: z
                .object({
                  verified: z.boolean(),
                  anchors: z.number().int(),
                  anchoredTo: z.number().int(),
                  latestAnchoredAt: z.string().nullable(),
                  problems: z.array(z.object({ file: z.string(), problem: z.string() })),
                  firstDisagreement: z
                    .object({
                      chainSeq: z.number().int(),
                      id: z.string().nullable(),
                      reason: z.enum(['missing', 'anchored-hash-mismatch', 'recomputed-hash-mismatch', 'prev-hash-mismatch']),
                      expected: z.string(),
                      actual: z.string(),
                      anchorFile: z.string().nullable(),
                    })
                    .optional(),
                })
                .optional()
                .openapi({ description: 'The log compared with the signed anchors written outside the database (absent where this process has none)' }),
            })
            .openapi('AuditVerification'),
        },
      },
    },
    ...problemResponses(401, 403, 422),
  },
});

export const auditCheckpointSchema = z
  .object({ id: z.string(), chainSeq: z.number().int(), hash: z.string(), createdAt: z.string() })
  .openapi('AuditCheckpoint');

export const createAuditCheckpointRoute = createRoute({
  method: 'post',
  path: '/v1/audit/checkpoints',
  tags: [AUDIT_TAG],
  summary: 'Checkpoint the audit chain head now',
  description: 'The same record a schedule writes periodically; verification detects a truncated log against it. Audited as AUDIT_CHECKPOINT.',
  responses: {
    201: jsonResponse('The checkpoint, at its own audit entry', auditCheckpointSchema),
    ...problemResponses(401, 403),
  },
});

export const latestAuditCheckpointRoute = createRoute({
  method: 'get',
  path: '/v1/audit/checkpoints/latest',
  tags: [AUDIT_TAG],
  summary: 'The newest checkpoint of the audit chain head',
  description: 'Verification from this position on (`GET /v1/audit/verify?fromSeq=`) covers what no checkpoint has recorded yet. Audited as AUDIT_VERIFY.',
  responses: {
    200: jsonResponse('The newest checkpoint', auditCheckpointSchema),
    ...problemResponses(401, 403, 404),
  },
});
