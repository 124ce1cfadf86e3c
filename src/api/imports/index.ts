import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { chatImportRoutes } from './chats/index.js';
import { emailImportRoutes } from './emails/index.js';

/** The seed's Chat and Email Importer: conversations from other systems than the contact center. */
export function importRoutes(deps: ApiDeps) {
  return new OpenAPIHono<AppEnv>().route('/', chatImportRoutes(deps)).route('/', emailImportRoutes(deps));
}
