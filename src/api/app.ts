import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { archiveTaskRoutes } from './archive-tasks/index.js';
import { auditRoutes } from './audit/index.js';
import { calibrationRoutes } from './calibrations/index.js';
import { callRoutes } from './calls/index.js';
import { MAX_RECORDING_BYTES, RECORDING_UPLOAD_PATH } from './calls/recording-routes.js';
import { legalHoldGroupRoutes } from './legal-holds/index.js';
import { contactRecordsRoutes } from './contact-records/index.js';
import { conversationLifecycleRoutes } from './conversation-lifecycle/index.js';
import { dataExportRoutes } from './data-exports/index.js';
import { deleteTaskRoutes } from './delete-tasks/index.js';
import { questionnaireRoutes } from './questionnaires/index.js';
import { recordingRuleRoutes } from './recording-rules/index.js';
import { retentionReportRoutes } from './retention-reports/index.js';
import { reviewPlanRoutes } from './review-plans/index.js';
import { reviewReportRoutes } from './review-reports/index.js';
import { reviewRoutes } from './reviews/index.js';
import { tagDefinitionRoutes } from './tag-definitions/index.js';
import { trainingAssignmentRoutes } from './training-assignments/index.js';
import { trainingPackRoutes } from './training-packs/index.js';
import { trainingReportRoutes } from './training-reports/index.js';
import { consoleRoutes } from '../console/console-app.js';
import { DEFAULT_CONSOLE_SESSION_LIMITS } from '../identity/console-sessions.js';
import { accessControl } from './middleware/auth/access-control.js';
import { createAuthenticator } from './middleware/auth/authenticator.js';
import type { AppEnv } from './context.js';
import { conversationsRoutes } from './conversations/index.js';
import { conversationMediaRoutes } from './conversations/media/index.js';
import { conversationSearchRoutes } from './conversations/search/index.js';
import { conversationTraceRoutes } from './conversations/trace/index.js';
import type { ApiDeps } from './deps.js';
import { serveApiDocs } from './middleware/docs/index.js';
import { healthRoutes } from './health/index.js';
import { importRoutes } from './imports/index.js';
import { meetingRoutes } from './meetings/index.js';
import { clientCopyRoutes } from './client-copies/index.js';
import { corsFor } from './middleware/hygiene/cors.js';
import { jsonBodyGuard } from './middleware/hygiene/json-body-guard.js';
import { loggableError } from './middleware/hygiene/loggable-error.js';
import { requestIds } from './middleware/hygiene/request-id.js';
import { requestLog } from './middleware/hygiene/request-log.js';
import { requestTimeout } from './middleware/hygiene/request-timeout.js';
import { urlGuard } from './middleware/hygiene/url-guard.js';
import { usersRoutes } from './users/index.js';
import { ProblemError, problem, zodIssues } from './problem.js';

/** A batch of 500 contact records with their attributes fits comfortably; anything larger is refused early. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return problem(c, 422, 'Invalid request', { detail: result.error.issues[0]?.message, errors: zodIssues(result.error) });
      }
      return undefined;
    },
  });

  app.use(requestIds());
  if (deps.logger) app.use(requestLog(deps.logger));
  app.use(secureHeaders());
  const cors = corsFor(deps.http?.corsOrigins ?? []);
  if (cors) app.use(cors);
  app.use(requestTimeout(deps.http?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS));
  const sessionLimits = {
    idleMs: deps.console?.sessionIdleMs ?? DEFAULT_CONSOLE_SESSION_LIMITS.idleMs,
    maxMs: deps.console?.sessionMaxMs ?? DEFAULT_CONSOLE_SESSION_LIMITS.maxMs,
  };
  // The web console: its own session cookie and HTML pages; every page reads and writes through this API in-process.
  app.route(
    '/',
    consoleRoutes({
      db: deps.db,
      api: (request) => app.fetch(request),
      sessionLimits,
      secureCookies: deps.console?.secureCookies ?? false,
      temporalUiUrl: deps.console?.temporalUiUrl,
      temporalNamespace: deps.console?.temporalNamespace,
      oidc: deps.oidc,
      publicUrl: deps.console?.publicUrl,
    }),
  );
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem(c, 413, 'Request body too large', { detail: `At most ${MAX_BODY_BYTES} bytes` }),
  });
  // Call audio is far larger than any JSON document: only the recording uploads get the larger limit.
  const recordingLimit = bodyLimit({
    maxSize: MAX_RECORDING_BYTES,
    onError: (c) => problem(c, 413, 'Recording too large', { detail: `A recording is at most ${MAX_RECORDING_BYTES} bytes`, errors: [{ pointer: '', field: '(body)', message: 'too large' }] }),
  });
  app.use((c, next) => (c.req.method === 'PUT' && RECORDING_UPLOAD_PATH.test(c.req.path) ? recordingLimit : jsonLimit)(c, next));
  // Every route passes the permission table before its body is even parsed.
  app.use(accessControl({ db: deps.db, authenticate: createAuthenticator(deps.db, deps.oidc, sessionLimits), refusalLimit: deps.http?.refusalLimit }));
  app.use(urlGuard());
  app.use(jsonBodyGuard());

  app.route('/', healthRoutes(deps));
  app.route('/', usersRoutes(deps));
  app.route('/', contactRecordsRoutes(deps));
  app.route('/', importRoutes(deps));
  app.route('/', meetingRoutes(deps));
  app.route('/', clientCopyRoutes(deps));
  app.route('/', conversationSearchRoutes(deps));
  app.route('/', conversationsRoutes(deps));
  app.route('/', conversationMediaRoutes(deps));
  app.route('/', conversationTraceRoutes(deps));
  app.route('/', conversationLifecycleRoutes(deps));
  app.route('/', callRoutes(deps));
  app.route('/', tagDefinitionRoutes(deps));
  app.route('/', recordingRuleRoutes(deps));
  app.route('/', deleteTaskRoutes(deps));
  app.route('/', retentionReportRoutes(deps));
  app.route('/', archiveTaskRoutes(deps));
  app.route('/', legalHoldGroupRoutes(deps));
  app.route('/', reviewPlanRoutes(deps));
  app.route('/', dataExportRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', calibrationRoutes(deps));
  app.route('/', reviewReportRoutes(deps));
  app.route('/', questionnaireRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', trainingPackRoutes(deps));
  app.route('/', trainingAssignmentRoutes(deps));
  app.route('/', trainingReportRoutes(deps));

  serveApiDocs(app, {
    openapi: '3.1.0',
    info: { title: 'Recordkeeper API', version: '0.1.0', description: 'Capture, retention, review and audit of contact-center conversations.' },
  });

  app.notFound((c) => problem(c, 404, 'Not found', { detail: `${c.req.method} ${c.req.path} is not a route` }));
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problem(c, error.status, error.title, error.extra);
    if (error instanceof HTTPException) {
      return problem(c, error.status as ContentfulStatusCode, error.status === 400 ? 'Malformed request' : 'Request refused', {
        detail: error.message,
      });
    }
    // Details stay in the server log, without SQL or values; the client gets the request id to quote.
    console.error(JSON.stringify({ level: 'error', requestId: c.get('requestId'), ...loggableError(error) }));
    return problem(c, 500, 'Internal error', { detail: 'The request failed; quote the request id when reporting it.' });
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
