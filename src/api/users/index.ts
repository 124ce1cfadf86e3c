import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import {
  createUserRoute,
  disableUserRoute,
  enableUserRoute,
  issueTokenRoute,
  listTokensRoute,
  listUsersRoute,
  revokeTokenRoute,
  setNotificationDeliveryRoute,
  setOwnNotificationDeliveryRoute,
  setUserRolesRoute,
  whoAmIRoute,
} from './routes.js';
import { usersHandlers } from './handlers.js';

/** User administration and API tokens: admins manage them; every caller can ask who they are and choose how their mails come. */
export function usersRoutes(deps: ApiDeps) {
  const handlers = usersHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createUserRoute, handlers.createUser)
    .openapi(listUsersRoute, handlers.listUsers)
    .openapi(setUserRolesRoute, handlers.setUserRoles)
    .openapi(disableUserRoute, handlers.disableUser)
    .openapi(enableUserRoute, handlers.enableUser)
    .openapi(issueTokenRoute, handlers.issueToken)
    .openapi(listTokensRoute, handlers.listTokens)
    .openapi(revokeTokenRoute, handlers.revokeToken)
    .openapi(setNotificationDeliveryRoute, handlers.setDelivery)
    .openapi(setOwnNotificationDeliveryRoute, handlers.setOwnDelivery)
    .openapi(whoAmIRoute, handlers.whoAmI);
}
