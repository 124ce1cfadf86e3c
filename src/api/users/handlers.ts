import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { appendAudit, syncEntry } from '../../audit/write/audit-writer.js';
import { auditedCall } from '../../audit/write/audited.js';
import { issueApiToken, listApiTokens, revokeApiToken } from '../../identity/api-tokens.js';
import { retireFirstAdminTokenFile } from '../../identity/first-admin.js';
import { expiryAfterDays } from '../../identity/user-input.js';
import { createUser, findUserById, listUsers, setNotificationDelivery, setUserDisabled, setUserRoles } from '../../identity/users.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { decodeCursor, pageOf } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { asProblem } from './identity-problem.js';
import type * as routes from './routes.js';
import { apiTokenView, userView } from './views.js';

const userCursorSchema = z.object({ after: z.string().min(1) });

export function usersHandlers(deps: ApiDeps) {
  const createUserHandler: RouteHandler<typeof routes.createUserRoute, AppEnv> = async (c) => {
    const user = await asProblem(() => createUser(deps.db, c.req.valid('json'), requestContext(c)));
    return c.json(userView(user), 201);
  };
  const listUsersHandler: RouteHandler<typeof routes.listUsersRoute, AppEnv> = async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, userCursorSchema).after;
    const { actor, correlationId } = requestContext(c);
    const page = await auditedCall(
      deps.db,
      { activity: 'USER_LIST', actor, correlationId, description: 'User list displayed', details: { limit, after: after ?? null } },
      async () => {
        const rows = await listUsers(deps.db, { limit: limit + 1, afterUsername: after });
        const value = pageOf(rows, limit, (row) => ({ after: row.username }));
        return { value, details: { count: value.items.length } };
      },
    );
    return c.json({ items: page.items.map(userView), nextCursor: page.nextCursor }, 200);
  };
  const setUserRolesHandler: RouteHandler<typeof routes.setUserRolesRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { roles } = c.req.valid('json');
    const user = await asProblem(() => setUserRoles(deps.db, userId, roles, requestContext(c)));
    return c.json(userView(user), 200);
  };
  const disableUser: RouteHandler<typeof routes.disableUserRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(userView(await asProblem(() => setUserDisabled(deps.db, userId, true, reason, requestContext(c)))), 200);
  };
  const enableUser: RouteHandler<typeof routes.enableUserRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(userView(await asProblem(() => setUserDisabled(deps.db, userId, false, reason, requestContext(c)))), 200);
  };
  const issueToken: RouteHandler<typeof routes.issueTokenRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { name, expiresInDays } = c.req.valid('json');
    const issued = await asProblem(() => issueApiToken(deps.db, { userId, name, expiresAt: expiryAfterDays(expiresInDays) }, requestContext(c)));
    if (deps.dataDir) await retireFirstAdminTokenFile(deps.db, deps.dataDir);
    return c.json({ ...apiTokenView(issued.row), token: issued.token }, 201);
  };
  const listTokens: RouteHandler<typeof routes.listTokensRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { actor, correlationId } = requestContext(c);
    const user = await findUserById(deps.db, userId);
    const rows = user ? await listApiTokens(deps.db, userId) : [];
    await appendAudit(deps.db, [
      syncEntry({
        activity: 'CLIENT_INFO',
        result: user ? 'OK' : 'FAIL',
        actor,
        correlationId,
        description: `API tokens of user ${userId} listed`,
        details: user ? { userId, count: rows.length } : { userId, error: 'user not found' },
      }),
    ]);
    if (!user) throw new ProblemError(404, 'User not found', { detail: `No user ${userId}` });
    return c.json({ items: rows.map(apiTokenView) }, 200);
  };
  const revokeToken: RouteHandler<typeof routes.revokeTokenRoute, AppEnv> = async (c) => {
    const { userId, tokenId } = c.req.valid('param');
    const token = await asProblem(() => revokeApiToken(deps.db, { userId, tokenId }, requestContext(c)));
    return c.json(apiTokenView(token), 200);
  };
  const setDelivery: RouteHandler<typeof routes.setNotificationDeliveryRoute, AppEnv> = async (c) => {
    const { userId } = c.req.valid('param');
    const { notificationDelivery } = c.req.valid('json');
    return c.json(userView(await asProblem(() => setNotificationDelivery(deps.db, userId, notificationDelivery, requestContext(c)))), 200);
  };
  const setOwnDelivery: RouteHandler<typeof routes.setOwnNotificationDeliveryRoute, AppEnv> = async (c) => {
    const { notificationDelivery } = c.req.valid('json');
    const { userId } = c.get('principal');
    return c.json(userView(await asProblem(() => setNotificationDelivery(deps.db, userId, notificationDelivery, requestContext(c)))), 200);
  };
  const whoAmI: RouteHandler<typeof routes.whoAmIRoute, AppEnv> = async (c) => {
    const principal = c.get('principal');
    const { actor, correlationId } = requestContext(c);
    await appendAudit(deps.db, [
      syncEntry({ activity: 'VALIDATE_ACCESS_TOKEN', result: 'OK', actor, correlationId, description: `Token of ${principal.username} validated` }),
    ]);
    return c.json(principal, 200);
  };

  return { createUser: createUserHandler, listUsers: listUsersHandler, setUserRoles: setUserRolesHandler, disableUser, enableUser, issueToken, listTokens, revokeToken, setDelivery, setOwnDelivery, whoAmI };
}
