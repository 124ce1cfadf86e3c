import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { getSearchHoldRoute, listHoldGroupsRoute, placeSearchHoldRoute, releaseSearchHoldRoute } from './routes.js';
import { listHoldGroupsHandler } from './list-groups.js';
import { legalHoldGroupHandlers } from './handlers.js';
import { holdReleaseHandlers } from './release-handlers.js';
import { approveHoldReleaseRoute, getHoldReleaseRoute, listHoldReleasesRoute } from './release-routes.js';

/**
 * Holds over a whole search: each matching conversation gets its own hold, written by a durable run
 * (searchHoldRun) page by page in one transaction each under the conversations' row locks; the run's status
 * says how far it got; the lifecycles are told in the background once it is in force.
 */
export function legalHoldGroupRoutes(deps: ApiDeps) {
  const handlers = legalHoldGroupHandlers(deps);
  const releases = holdReleaseHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(placeSearchHoldRoute, handlers.placeSearchHold)
    .openapi(releaseSearchHoldRoute, handlers.releaseSearchHold)
    .openapi(listHoldGroupsRoute, listHoldGroupsHandler(deps))
    .openapi(getSearchHoldRoute, handlers.getSearchHold)
    .openapi(listHoldReleasesRoute, releases.list)
    .openapi(getHoldReleaseRoute, releases.get)
    .openapi(approveHoldReleaseRoute, releases.approve);
}
