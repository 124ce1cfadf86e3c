import { randomUUID } from 'node:crypto';
import { and, arrayContains, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { isUserRowId } from '../domain/user-rows.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Executor, Transaction } from '../db/client.js';
import { questionnaireVersions, reviews, trainingAssignments, trainingPackVersions, trainingPacks, users } from '../db/schema/index.js';
import type { Role } from '../domain/roles.js';
import { Refusal, invalidField } from '../lib/refusal.js';
import { recordTrainingEvents } from './training-events.js';
import type { TrainingPackRow, TrainingPackVersionRow } from './training-pack-reads.js';

/**
 * Giving a pack version to people: as the follow-up of a review in a "needs training" tier, on an agent's
 * creation (onboarding) and by hand (coaching, to users or to every member of a group). Each assignment is
 * written with its 'assigned' step and a TRAINING_ASSIGN entry in the transaction that gives it.
 */

export type AssignmentRow = typeof trainingAssignments.$inferSelect;
type ReviewRow = typeof reviews.$inferSelect;
type Reason = 'review' | 'onboarding' | 'coaching';

interface Trainee {
  id: string;
  username: string;
  groupNames: string[];
}

interface Given {
  reason: Reason;
  reviewId?: string;
  conversationId?: string;
  coachingGroup?: string;
}

/** Due this long after now, reminded `reminderBeforeSeconds` before: the timing of a new or re-given assignment. */
export function assignmentTiming(pack: Pick<TrainingPackRow, 'dueAfterSeconds' | 'reminderBeforeSeconds'>, now: Date): { dueAt: Date; remindAt: Date | null } {
  const dueAt = new Date(now.getTime() + pack.dueAfterSeconds * 1000);
  return { dueAt, remindAt: pack.reminderBeforeSeconds === null ? null : new Date(dueAt.getTime() - pack.reminderBeforeSeconds * 1000) };
}

/**
 * Inserts the assignments with their 'assigned' steps; a unique index that refuses one (a review's open
 * follow-up, a user's onboarding with this pack) skips it quietly, so giving twice gives once.
 */
async function giveAssignments(tx: Transaction, pack: TrainingPackRow, version: TrainingPackVersionRow, trainees: readonly Trainee[], given: Given, actor: string): Promise<AssignmentRow[]> {
  if (trainees.length === 0) return [];
  const timing = assignmentTiming(pack, new Date());
  const inserted = await tx
    .insert(trainingAssignments)
    .values(
      trainees.map((trainee) => ({
        id: randomUUID(),
        packId: pack.id,
        packVersion: version.version,
        assigneeUserId: trainee.id,
        assigneeUsername: trainee.username,
        assigneeGroups: trainee.groupNames,
        reason: given.reason,
        reviewId: given.reviewId ?? null,
        conversationId: given.conversationId ?? null,
        referenceConversationId: version.definition.referenceConversationId,
        coachingGroup: given.coachingGroup ?? null,
        attemptsAllowed: version.definition.quiz.attemptsAllowed,
        ...timing,
        assignedBy: actor,
      })),
    )
    .onConflictDoNothing()
    .returning();
  await recordTrainingEvents(
    tx,
    inserted.map((row) => ({
      assignmentId: row.id,
      conversationId: row.conversationId,
      step: 'assigned' as const,
      actor,
      detail: { reason: row.reason, packId: row.packId, packVersion: row.packVersion, reviewId: row.reviewId, dueAt: row.dueAt.toISOString() },
    })),
  );
  return inserted;
}

/** The pack with its current version, if it may be assigned now. */
async function activePack(executor: Executor, packId: string): Promise<{ pack: TrainingPackRow; version: TrainingPackVersionRow } | undefined> {
  const [row] = await executor
    .select({ pack: trainingPacks, version: trainingPackVersions })
    .from(trainingPacks)
    .innerJoin(trainingPackVersions, and(eq(trainingPackVersions.packId, trainingPacks.id), eq(trainingPackVersions.version, trainingPacks.currentVersion)))
    .where(and(eq(trainingPacks.id, packId), eq(trainingPacks.state, 'active')));
  return row;
}

const assignEntry = (audit: AuditContext, row: AssignmentRow, description: string) =>
  syncEntry({
    activity: 'TRAINING_ASSIGN',
    result: 'OK',
    actor: audit.actor,
    correlationId: audit.correlationId,
    description,
    conversationId: row.conversationId,
    details: { assignmentId: row.id, packId: row.packId, packVersion: row.packVersion, reason: row.reason, assigneeUserId: row.assigneeUserId, reviewId: row.reviewId, dueAt: row.dueAt.toISOString() },
  });

/**
 * A new agent's onboarding, in the transaction that creates them: every active pack marked for onboarding.
 * The onboarding unique index makes a retried creation give nothing twice.
 */
export async function assignOnboarding(tx: Transaction, trainee: Trainee, audit: AuditContext): Promise<AssignmentRow[]> {
  const packs = await tx
    .select({ pack: trainingPacks, version: trainingPackVersions })
    .from(trainingPacks)
    .innerJoin(trainingPackVersions, and(eq(trainingPackVersions.packId, trainingPacks.id), eq(trainingPackVersions.version, trainingPacks.currentVersion)))
    .where(and(eq(trainingPacks.state, 'active'), eq(trainingPacks.assignOnAgentCreation, true)));
  const given: AssignmentRow[] = [];
  for (const { pack, version } of packs) given.push(...(await giveAssignments(tx, pack, version, [trainee], { reason: 'onboarding' }, audit.actor.username)));
  await appendAudit(tx, given.map((row) => assignEntry(audit, row, `Onboarding training ${row.packId} assigned to ${trainee.username}`)));
  return given;
}

/** What a review's current state asks for: the pack its tier assigns, or why it assigns none. */
async function trainingWanted(tx: Transaction, review: ReviewRow): Promise<{ packId: string } | { none: string }> {
  if (review.status !== 'completed') return { none: `the review is ${review.status === 'deleted' ? 'deleted' : 'no longer completed'}` };
  if (review.kind === 'calibration') return { none: 'a calibration review assigns no training' };
  const [version] = await tx
    .select({ tiers: questionnaireVersions.tiers })
    .from(questionnaireVersions)
    .where(and(eq(questionnaireVersions.questionnaireId, review.questionnaireId), eq(questionnaireVersions.version, review.questionnaireVersion)));
  const tier = review.tierName === null ? undefined : version?.tiers.find((candidate) => candidate.name === review.tierName);
  const score = review.scorePercent === null ? 'no score' : `score ${review.scorePercent}`;
  if (!tier) return { none: `${score} is in no tier` };
  if (!tier.needsTraining || !tier.trainingPackId) return { none: `${score} is now in tier '${tier.name}', which needs no training` };
  return { packId: tier.trainingPackId };
}

/**
 * Keeps a review's training follow-up in line with the review, in the review change's transaction: a
 * completed review in a tier that needs training assigns the tier's active pack to its agent (when the
 * agent is a user); a review that is no longer there (a dispute moved its score, it was reopened or
 * deleted) cancels its open follow-up, saying why. `cause` names the change, e.g. "dispute of review X accepted".
 */
export async function syncTrainingForReview(tx: Transaction, review: ReviewRow, audit: AuditContext, cause = `review ${review.id} changed`): Promise<void> {
  const wanted = await trainingWanted(tx, review);
  const [open] = await tx
    .select()
    .from(trainingAssignments)
    .where(and(eq(trainingAssignments.reviewId, review.id), eq(trainingAssignments.status, 'assigned')))
    .for('update');
  if (open && !('packId' in wanted && wanted.packId === open.packId)) {
    const why = 'none' in wanted ? wanted.none : `its tier now assigns training pack ${wanted.packId}`;
    await cancelLocked(tx, open, `${cause}: ${why}`, audit);
  }
  if (!('packId' in wanted) || (open && open.packId === wanted.packId)) return;
  // A follow-up already passed or failed for this review is not given again by a later change of it.
  const [done] = await tx
    .select({ id: trainingAssignments.id })
    .from(trainingAssignments)
    .where(and(eq(trainingAssignments.reviewId, review.id), eq(trainingAssignments.packId, wanted.packId), inArray(trainingAssignments.status, ['passed', 'failed'])))
    .limit(1);
  if (done || review.agentUsername === null) return;
  const pack = await activePack(tx, wanted.packId);
  const [agent] = await tx
    .select({ id: users.id, username: users.username, groupNames: users.groupNames })
    .from(users)
    .where(and(eq(users.username, review.agentUsername), isNull(users.disabledAt)));
  if (!pack || !agent) return;
  const given = await giveAssignments(tx, pack.pack, pack.version, [agent], { reason: 'review', reviewId: review.id, conversationId: review.conversationId }, audit.actor.username);
  await appendAudit(tx, given.map((row) => assignEntry(audit, row, `Training ${row.packId} assigned to ${agent.username} after review ${review.id} (tier '${review.tierName}')`)));
}

async function cancelLocked(tx: Transaction, row: AssignmentRow, reason: string, audit: AuditContext): Promise<AssignmentRow> {
  const [after] = await tx
    .update(trainingAssignments)
    .set({ status: 'cancelled', cancelReason: reason, completedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(trainingAssignments.id, row.id))
    .returning();
  await recordTrainingEvents(tx, [{ assignmentId: row.id, conversationId: row.conversationId, step: 'cancelled', actor: audit.actor.username, detail: { reason } }]);
  await appendAudit(tx, [
    syncEntry({
      activity: 'TRAINING_CANCEL',
      result: 'OK',
      actor: audit.actor,
      correlationId: audit.correlationId,
      description: `Training assignment ${row.id} cancelled: ${reason}`,
      conversationId: row.conversationId,
      details: { assignmentId: row.id, packId: row.packId, reviewId: row.reviewId, reason },
    }),
  ]);
  return after!;
}

/** A manager cancels an open assignment, saying why (TRAINING_CANCEL). */
export async function cancelAssignment(db: Database, assignmentId: string, reason: string, audit: AuditContext): Promise<AssignmentRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId)).for('update');
    if (!row) throw new Refusal('not-found', 'Training assignment not found', `No training assignment ${assignmentId}`);
    if (row.status !== 'assigned') throw new Refusal('conflict', 'Training assignment closed', `Training assignment ${assignmentId} is ${row.status}; only an open one can be cancelled`);
    return cancelLocked(tx, row, reason, audit);
  });
}

export interface CoachingRequest {
  packId: string;
  userIds?: readonly string[] | undefined;
  group?: string | undefined;
}

export interface Coach {
  userId: string;
  roles: readonly Role[];
  supervisedGroups: readonly string[];
}

/** Those who run the quality programme assign to anyone; a supervisor only within the groups they supervise. */
const assignsToAnyone = (coach: Coach) => coach.roles.some((role) => role === 'cc-manager' || role === 'compliance-analyst' || role === 'admin');

async function coachingTrainees(tx: Transaction, request: CoachingRequest, coach: Coach): Promise<Trainee[]> {
  const columns = { id: users.id, username: users.username, groupNames: users.groupNames, disabledAt: users.disabledAt };
  if (request.group !== undefined) {
    if (!assignsToAnyone(coach) && !coach.supervisedGroups.includes(request.group)) {
      throw new Refusal('not-yours', 'Not your group', `You do not supervise group ${request.group}`, [{ path: 'group', message: 'not a group you supervise' }]);
    }
    const members = await tx.select(columns).from(users).where(and(arrayContains(users.groupNames, [request.group]), isNull(users.disabledAt)));
    if (members.length === 0) throw invalidField('group', `group ${request.group} has no enabled member`);
    return members;
  }
  const ids = [...new Set(request.userIds ?? [])];
  const found = new Map((ids.length === 0 ? [] : await tx.select(columns).from(users).where(inArray(users.id, ids))).map((user) => [user.id, user]));
  return (request.userIds ?? []).map((id, index) => {
    const user = found.get(id);
    if (!user) throw invalidField(`userIds.${index}`, 'no such user');
    if (user.disabledAt) throw invalidField(`userIds.${index}`, `${user.username} is disabled`);
    if (!assignsToAnyone(coach) && !user.groupNames.some((group) => coach.supervisedGroups.includes(group))) {
      throw new Refusal('not-yours', 'Not your agent', `${user.username} is in no group you supervise`, [{ path: `userIds.${index}`, message: 'not in a group you supervise' }]);
    }
    return user;
  }).filter((user, index, all) => all.findIndex((other) => other.id === user.id) === index);
}

/**
 * Coaching by hand (TRAINING_ASSIGN): the pack's current version to each user, or to every enabled member
 * of a group. Someone who already has this pack open is skipped and reported, not given it twice.
 */
export async function assignCoaching(db: Database, request: CoachingRequest, coach: Coach, audit: AuditContext): Promise<{ assigned: AssignmentRow[]; skippedUserIds: string[] }> {
  return auditedChange(
    db,
    { ...audit, activity: 'TRAINING_ASSIGN', description: `Coaching training ${request.packId} assigned`, details: { packId: request.packId, userIds: request.userIds ?? null, group: request.group ?? null } },
    async (tx) => {
      const pack = await activePack(tx, request.packId);
      if (!pack) {
        const [exists] = await tx.select({ state: trainingPacks.state }).from(trainingPacks).where(eq(trainingPacks.id, request.packId));
        if (!exists) throw invalidField('packId', 'no such training pack');
        throw new Refusal('conflict', 'Training pack not active', `Training pack ${request.packId} is ${exists.state}; only an active pack is assigned`, [{ path: 'packId', message: `the pack is ${exists.state}` }]);
      }
      const trainees = await coachingTrainees(tx, request, coach);
      const busy = new Set(
        (
          await tx
            .select({ userId: trainingAssignments.assigneeUserId })
            .from(trainingAssignments)
            .where(and(eq(trainingAssignments.packId, request.packId), eq(trainingAssignments.status, 'assigned'), inArray(trainingAssignments.assigneeUserId, trainees.map((trainee) => trainee.id))))
        ).map((row) => row.userId),
      );
      const given = { reason: 'coaching' as const, ...(request.group === undefined ? {} : { coachingGroup: request.group }) };
      const assigned = await giveAssignments(tx, pack.pack, pack.version, trainees.filter((trainee) => !busy.has(trainee.id)), given, audit.actor.username);
      return { value: { assigned, skippedUserIds: [...busy] }, details: { assignmentIds: assigned.map((row) => row.id), skippedUserIds: [...busy], packVersion: pack.version.version } };
    },
  );
}

export interface AssignmentFilters {
  status?: string | undefined;
  assigneeUserId?: string | undefined;
  packId?: string | undefined;
  reason?: string | undefined;
  reviewId?: string | undefined;
}

/** Assignments the scope covers, newest first, after a keyset position. */
export async function listAssignments(
  executor: Executor,
  scope: SQL | undefined,
  filters: AssignmentFilters,
  page: { limit: number; after?: { at: string; id: string } | undefined },
): Promise<(AssignmentRow & { at: string })[]> {
  const at = sql<string>`to_char(${trainingAssignments.assignedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const conditions: (SQL | undefined)[] = [
    scope,
    filters.status === undefined ? undefined : eq(trainingAssignments.status, filters.status),
    filters.assigneeUserId === undefined ? undefined : isUserRowId(filters.assigneeUserId) ? eq(trainingAssignments.assigneeUserId, filters.assigneeUserId) : sql`false`,
    filters.packId === undefined ? undefined : eq(trainingAssignments.packId, filters.packId),
    filters.reason === undefined ? undefined : eq(trainingAssignments.reason, filters.reason),
    filters.reviewId === undefined ? undefined : eq(trainingAssignments.reviewId, filters.reviewId),
    page.after === undefined
      ? undefined
      : or(
          lt(trainingAssignments.assignedAt, sql`${page.after.at}::timestamptz`),
          and(eq(trainingAssignments.assignedAt, sql`${page.after.at}::timestamptz`), lt(trainingAssignments.id, page.after.id)),
        ),
  ];
  const rows = await executor
    .select({ row: trainingAssignments, at })
    .from(trainingAssignments)
    .where(and(...conditions))
    .orderBy(desc(trainingAssignments.assignedAt), desc(trainingAssignments.id))
    .limit(page.limit);
  return rows.map(({ row, at: position }) => ({ ...row, at: position }));
}

export async function findAssignment(executor: Executor, assignmentId: string): Promise<AssignmentRow | undefined> {
  const [row] = await executor.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
  return row;
}

/** Every assignment a review gave, oldest first. */
export function assignmentsOfReview(executor: Executor, reviewId: string): Promise<AssignmentRow[]> {
  return executor.select().from(trainingAssignments).where(eq(trainingAssignments.reviewId, reviewId)).orderBy(trainingAssignments.assignedAt);
}
