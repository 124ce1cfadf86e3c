import type { RouteHandler } from '@hono/zod-openapi';
import { asc, eq } from 'drizzle-orm';
import { auditedChange } from '../../audit/write/audited.js';
import { tagDefinitions } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { createTagDefinitionRoute, deleteTagDefinitionRoute, listTagDefinitionsRoute } from './routes.js';

const view = (row: typeof tagDefinitions.$inferSelect) => ({
  name: row.name,
  description: row.description,
  protectionYears: (row.protectionYears ?? null) as 5 | 7 | null,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
});

export function tagDefinitionHandlers(deps: ApiDeps) {
  const createTagDefinition: RouteHandler<typeof createTagDefinitionRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const created = await auditedChange(
      deps.db,
      { activity: 'TAG_DEFINITION_CREATE', actor, correlationId, description: `Tag ${body.name} defined`, details: { ...body } },
      async (tx) => {
        const rows = await tx.insert(tagDefinitions).values({ ...body, createdBy: actor.id }).onConflictDoNothing().returning();
        return rows[0] ? { value: rows[0] } : { value: undefined, result: 'FAIL', details: { error: 'already defined' } };
      },
    );
    if (!created) throw new ProblemError(409, 'Tag already defined', { detail: `${body.name} exists; definitions are not changed in place` });
    return c.json(view(created), 201);
  };
  const listTagDefinitions: RouteHandler<typeof listTagDefinitionsRoute, AppEnv> = async (c) => {
    const rows = await deps.db.select().from(tagDefinitions).orderBy(asc(tagDefinitions.name));
    return c.json({ items: rows.map(view) }, 200);
  };
  const deleteTagDefinition: RouteHandler<typeof deleteTagDefinitionRoute, AppEnv> = async (c) => {
    const { name } = c.req.valid('param');
    const { actor, correlationId } = requestContext(c);
    const removed = await auditedChange(
      deps.db,
      { activity: 'TAG_DEFINITION_DELETE', actor, correlationId, description: `Tag definition ${name} removed`, details: { name } },
      async (tx) => {
        const rows = await tx.delete(tagDefinitions).where(eq(tagDefinitions.name, name)).returning({ name: tagDefinitions.name });
        return rows.length ? { value: true } : { value: false, result: 'FAIL', details: { error: 'not found' } };
      },
    );
    if (!removed) throw new ProblemError(404, 'Tag definition not found', { detail: name });
    return c.body(null, 204);
  };

  return { createTagDefinition, listTagDefinitions, deleteTagDefinition };
}
