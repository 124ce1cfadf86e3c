import { and, arrayOverlaps, eq, isNotNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { scopedVisibility } from '../db/scoped-visibility.js';
import { reviews, users } from '../db/schema/index.js';
import type { Role } from '../domain/roles.js';
import { isUserRowId } from '../domain/user-rows.js';

/** Who is looking at reviews, as the scope needs to know it. */
export interface ReviewViewer {
  userId: string;
  username: string;
  roles: readonly Role[];
  supervisedGroups: readonly string[];
}

/** Roles that see every review: those who run the quality programme and those who audit it. */
export const REVIEW_OVERSEERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor'];

/**
 * The reviews a viewer may see, as a condition on `reviews` (undefined: all). Evaluators see the reviews
 * assigned to them (a calibration stays blind); agents their own completed reviews once revealed;
 * supervisors the reviews of their groups' agents, calibrations excepted. Listings and the access check
 * of every route naming a review use this one condition.
 */
export function reviewScope(viewer: ReviewViewer): SQL | undefined {
  if (viewer.roles.some((role) => REVIEW_OVERSEERS.includes(role))) return undefined;
  const visible: SQL[] = [];
  if (viewer.roles.includes('evaluator') && isUserRowId(viewer.userId)) visible.push(eq(reviews.evaluatorId, viewer.userId));
  if (viewer.roles.includes('agent')) {
    visible.push(and(eq(reviews.agentUsername, viewer.username), isNotNull(reviews.revealedAt), eq(reviews.status, 'completed'), ne(reviews.kind, 'calibration'))!);
  }
  if (viewer.roles.includes('supervisor') && viewer.supervisedGroups.length > 0) {
    const supervised = sql`(select ${users.username} from ${users} where ${arrayOverlaps(users.groupNames, [...viewer.supervisedGroups])})`;
    visible.push(and(ne(reviews.kind, 'calibration'), sql`${reviews.agentUsername} in ${supervised}`)!);
  }
  return visible.length > 0 ? or(...visible) : sql`false`;
}

/** Whether one review exists and whether the scope covers it, with its conversation (for auditing a refusal). */
export function reviewVisibility(db: Executor, scope: SQL | undefined, reviewId: string) {
  return scopedVisibility(db, reviews, scope, reviewId);
}
