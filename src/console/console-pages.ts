import { AUDIT_READERS, CONVERSATION_READERS, QUALITY_MANAGERS, REVIEW_READERS } from '../api/permissions.js';
import type { Role } from '../domain/roles.js';

/**
 * The console's screens, who may open each, and the catalogue activity a refused page is audited under.
 * The roles match the API routes each screen reads, so the navigation never offers a page whose data the
 * API would refuse; the data itself is still authorised route by route (src/console/api-bridge.ts).
 */
export interface ConsolePage {
  key: string;
  path: string;
  title: string;
  roles: readonly Role[];
  activity: string;
  /** Shown in the navigation (detail pages are reached from lists). */
  inNavigation: boolean;
}

const RETENTION_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor'];
const TRAINEES: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent'];
/** GET /v1/calibrations/{calibrationId}: the quality managers and auditors. */
const CALIBRATION_READERS: readonly Role[] = [...QUALITY_MANAGERS, 'auditor'];
const REPORT_READERS: readonly Role[] = ['cc-manager', 'compliance-analyst', 'auditor', 'supervisor'];

export const CONSOLE_PAGES = {
  home: { key: 'home', path: '/console/', title: 'Overview', roles: TRAINEES, activity: 'LOGIN', inNavigation: false },
  audit: { key: 'audit', path: '/console/audit', title: 'Audit log', roles: AUDIT_READERS, activity: 'AUDIT_SEARCH', inNavigation: true },
  conversations: { key: 'conversations', path: '/console/conversations', title: 'Conversations', roles: CONVERSATION_READERS, activity: 'CONVERSATION_SEARCH', inNavigation: true },
  conversation: { key: 'conversation', path: '/console/conversations/:conversationId', title: 'Conversation', roles: CONVERSATION_READERS, activity: 'CONVERSATION_BY_ID', inNavigation: false },
  timeline: { key: 'timeline', path: '/console/conversations/:conversationId/timeline', title: 'Lifecycle timeline', roles: AUDIT_READERS, activity: 'CONVERSATION_TRACE', inNavigation: false },
  retention: { key: 'retention', path: '/console/retention', title: 'Retention', roles: RETENTION_READERS, activity: 'EXPORT_EXECUTE', inNavigation: true },
  reviews: { key: 'reviews', path: '/console/reviews', title: 'Reviews', roles: REVIEW_READERS, activity: 'EVALUATIONS_SEARCH', inNavigation: true },
  review: { key: 'review', path: '/console/reviews/:reviewId', title: 'Review', roles: REVIEW_READERS, activity: 'EVALUATIONS_SEARCH', inNavigation: false },
  calibration: { key: 'calibration', path: '/console/reviews/calibrations/:calibrationId', title: 'Calibration', roles: CALIBRATION_READERS, activity: 'EVALUATION_REPORT', inNavigation: false },
  reports: { key: 'reports', path: '/console/reports', title: 'Reports', roles: REPORT_READERS, activity: 'EVALUATION_REPORT', inNavigation: true },
  training: { key: 'training', path: '/console/training', title: 'Training', roles: TRAINEES, activity: 'TRAININGS_SEARCH', inNavigation: true },
  trainingAssignment: { key: 'trainingAssignment', path: '/console/training/:assignmentId', title: 'Training assignment', roles: TRAINEES, activity: 'TRAININGS_SEARCH', inNavigation: false },
} as const satisfies Record<string, ConsolePage>;

export type ConsolePageKey = keyof typeof CONSOLE_PAGES;

export function mayOpen(page: ConsolePage, roles: readonly Role[]): boolean {
  return roles.some((role) => page.roles.includes(role));
}
