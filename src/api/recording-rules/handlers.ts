import { randomUUID } from 'node:crypto';
import type { RouteHandler, z } from '@hono/zod-openapi';
import { asc, eq, sql } from 'drizzle-orm';
import { auditedChange } from '../../audit/write/audited.js';
import type { Transaction } from '../../db/client.js';
import { recordingRules } from '../../db/schema/index.js';
import { unknownTagNames } from '../../tags/tag-mirror.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type * as routes from './routes.js';
import { recordingRuleOf, type RecordingRuleRow } from '../../recording-rules/recording-rules.js';

type RuleInput = z.infer<typeof routes.recordingRuleInputSchema>;

const view = (row: RecordingRuleRow) => ({
  ...recordingRuleOf(row),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const columns = (input: RuleInput) => ({
  name: input.name,
  position: input.position,
  match: input.match,
  action: input.action,
  tagName: input.tag?.name ?? null,
  tagValue: input.tag?.value ?? null,
  requireConsent: input.requireConsent,
  enabled: input.enabled,
});

/** A rule may only apply a tag an admin has defined (the seed: tags are configured first). */
async function requireDefinedTag(tx: Transaction, input: RuleInput): Promise<void> {
  if (!input.tag) return;
  if ((await unknownTagNames(tx, [input.tag.name])).length > 0) {
    throw new ProblemError(422, 'Unknown tag', { detail: `Define tag ${input.tag.name} first`, errors: [{ pointer: '/tag/name', field: 'tag.name', message: 'not a defined tag' }] });
  }
}

export function recordingRuleHandlers(deps: ApiDeps) {
  const createRecordingRule: RouteHandler<typeof routes.createRecordingRuleRoute, AppEnv> = async (c) => {
    const input = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const row = await auditedChange(
      deps.db,
      { activity: 'RECORDING_RULE_CREATE', actor, correlationId, description: `Recording rule "${input.name}" created`, details: { rule: input } },
      async (tx) => {
        await requireDefinedTag(tx, input);
        const [created] = await tx.insert(recordingRules).values({ id: randomUUID(), ...columns(input) }).returning();
        return { value: created!, details: { ruleId: created!.id } };
      },
    );
    return c.json(view(row), 201);
  };
  const listRecordingRules: RouteHandler<typeof routes.listRecordingRulesRoute, AppEnv> = async (c) => {
    const rows = await deps.db.select().from(recordingRules).orderBy(asc(recordingRules.position), asc(recordingRules.createdAt));
    return c.json({ items: rows.map(view) }, 200);
  };
  const replaceRecordingRule: RouteHandler<typeof routes.replaceRecordingRuleRoute, AppEnv> = async (c) => {
    const { ruleId } = c.req.valid('param');
    const input = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const row = await auditedChange(
      deps.db,
      { activity: 'RECORDING_RULE_UPDATE', actor, correlationId, description: `Recording rule ${ruleId} replaced`, details: { ruleId, rule: input } },
      async (tx) => {
        await requireDefinedTag(tx, input);
        const [updated] = await tx.update(recordingRules).set({ ...columns(input), updatedAt: sql`now()` }).where(eq(recordingRules.id, ruleId)).returning();
        if (!updated) throw new ProblemError(404, 'Recording rule not found', { detail: ruleId });
        return { value: updated };
      },
    );
    return c.json(view(row), 200);
  };
  const deleteRecordingRule: RouteHandler<typeof routes.deleteRecordingRuleRoute, AppEnv> = async (c) => {
    const { ruleId } = c.req.valid('param');
    const { actor, correlationId } = requestContext(c);
    await auditedChange(
      deps.db,
      { activity: 'RECORDING_RULE_DELETE', actor, correlationId, description: `Recording rule ${ruleId} removed`, details: { ruleId } },
      async (tx) => {
        const rows = await tx.delete(recordingRules).where(eq(recordingRules.id, ruleId)).returning({ id: recordingRules.id });
        if (rows.length === 0) throw new ProblemError(404, 'Recording rule not found', { detail: ruleId });
        return { value: undefined };
      },
    );
    return c.body(null, 204);
  };

  return { createRecordingRule, listRecordingRules, replaceRecordingRule, deleteRecordingRule };
}
