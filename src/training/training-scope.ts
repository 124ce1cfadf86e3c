import { arrayOverlaps, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { scopedVisibility } from '../db/scoped-visibility.js';
import { trainingAssignments, users } from '../db/schema/index.js';
import type { Role } from '../domain/roles.js';
import { isUserRowId } from '../domain/user-rows.js';

export interface TrainingViewer {
  userId: string;
  roles: readonly Role[];
  supervisedGroups: readonly string[];
}

/** Roles that see every assignment: those who run the quality programme and those who audit it. */
export const TRAINING_OVERSEERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor'];

/** The users in the groups a supervisor supervises (their current groups). */
export function supervisedUserIds(supervisedGroups: readonly string[]): SQL {
  return sql`(select ${users.id} from ${users} where ${arrayOverlaps(users.groupNames, [...supervisedGroups])})`;
}

/**
 * The assignments a viewer may see, as a condition on `training_assignments` (undefined: all): the
 * trainee their own; supervisors those of their groups' members. Listings, the access check of every
 * route naming an assignment and the reports use this one condition.
 */
export function trainingAssignmentScope(viewer: TrainingViewer): SQL | undefined {
  if (viewer.roles.some((role) => TRAINING_OVERSEERS.includes(role))) return undefined;
  const visible: SQL[] = [isUserRowId(viewer.userId) ? eq(trainingAssignments.assigneeUserId, viewer.userId) : sql`false`];
  if (viewer.roles.includes('supervisor') && viewer.supervisedGroups.length > 0) {
    visible.push(sql`${trainingAssignments.assigneeUserId} in ${supervisedUserIds(viewer.supervisedGroups)}`);
  }
  return or(...visible);
}

/** Whether one assignment exists and whether the scope covers it, with its reviewed conversation (for auditing a refusal). */
export function trainingAssignmentVisibility(db: Executor, scope: SQL | undefined, assignmentId: string) {
  return scopedVisibility(db, trainingAssignments, scope, assignmentId);
}

/**
 * The trainee's grant to play a reference conversation: an assignment of theirs (assigned, passed or
 * failed, not cancelled) whose pack version names it. A condition on `conversations`, ORed into their scope.
 */
export function referenceConversationGrant(userId: string, conversationIdColumn: SQL): SQL {
  return sql`exists (select 1 from ${trainingAssignments} where ${trainingAssignments.referenceConversationId} = ${conversationIdColumn} and ${trainingAssignments.assigneeUserId} = ${userId} and ${trainingAssignments.status} in ('assigned', 'passed', 'failed'))`;
}
