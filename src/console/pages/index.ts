import type { Hono } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { registerAuditLogPage } from './audit-log.js';
import { registerReviewPages } from './reviews.js';
import { registerReportsPage } from './reports.js';
import { registerTrainingPages } from './training.js';
import { registerRetentionPage } from './retention.js';
import { registerTimelinePage } from './timeline.js';
import { registerConversationsPages } from './conversations.js';

/** Every screen of the console; each module registers its own URLs. */
export function registerConsolePages(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  registerAuditLogPage(app, deps);
  registerReviewPages(app, deps);
  registerReportsPage(app, deps);
  registerTrainingPages(app, deps);
  registerTimelinePage(app, deps);
  registerConversationsPages(app, deps);
  registerRetentionPage(app, deps);
}
