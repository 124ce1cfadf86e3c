import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.js';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_PAGE } from './docs-page.js';
import { withPermissions } from './openapi-document.js';

type DocumentConfig = Parameters<OpenAPIHono<AppEnv>['getOpenAPI31Document']>[0];

/** Serves the OpenAPI document (with the permission table's rules in it) and the reference page. */
export function serveApiDocs(app: OpenAPIHono<AppEnv>, config: DocumentConfig): void {
  app.get('/openapi.json', (c) => c.json(withPermissions(app.getOpenAPI31Document(config))));
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    return c.html(DOCS_PAGE);
  });
}
