import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Transaction } from '../db/client.js';
import { questionnaireVersions, questionnaires, type CallSelectionRules } from '../db/schema/index.js';
import type { QuestionnaireDefinition, ScoringTier } from '../domain/questionnaire.js';
import { assignablePackIds } from '../training/training-pack-reads.js';
import { QuestionnaireError } from './questionnaire-errors.js';
import { findQuestionnaire, questionnaireReferences, type QuestionnaireRecord, type QuestionnaireState } from './questionnaire-reads.js';
import { loadCurrentQuestionnaire, loadQuestionnaireVersion, type QuestionnaireRow } from './questionnaire-versions.js';

/**
 * Changes to questionnaires, each one transaction with its audit entry. What scores (questions, weights,
 * the N/A method, tiers) only ever changes by a new version, so every review keeps the version it was
 * scored with; what does not score (name, permissions, selection rules, dispute window, state) is edited in place.
 */

export interface NewQuestionnaire {
  name: string;
  description: string;
  definition: QuestionnaireDefinition;
  tiers: ScoringTier[];
  evaluatorGroups: string[];
  selectionRules: CallSelectionRules;
  disputeWindowDays: number;
  state: 'draft' | 'active';
}

export interface QuestionnaireProperties {
  name?: string | undefined;
  description?: string | undefined;
  disputeWindowDays?: number | undefined;
  state?: QuestionnaireState | undefined;
}

export type Removal = 'deleted' | 'retired';

const byStart = (tiers: readonly ScoringTier[]) => [...tiers].sort((a, b) => a.from - b.from);
const tierSummary = (tiers: readonly ScoringTier[]) => tiers.map(({ name, from, to, needsTraining }) => ({ name, from, to, needsTraining }));
const definitionSummary = (definition: QuestionnaireDefinition) => ({
  scoring: definition.scoring,
  naMethod: definition.naMethod,
  sections: definition.sections.map((section) => ({ id: section.id, weight: section.weight, questions: section.questions.length })),
});

/** Each tier's training pack must exist and not be retired. `tiers` are in the order the request gave them. */
async function refuseUnknownTrainingPacks(tx: Transaction, tiers: readonly ScoringTier[]): Promise<void> {
  const named = tiers.flatMap((tier) => (tier.trainingPackId === undefined ? [] : [tier.trainingPackId]));
  if (named.length === 0) return;
  const assignable = await assignablePackIds(tx, named);
  const index = tiers.findIndex((tier) => tier.trainingPackId !== undefined && !assignable.has(tier.trainingPackId));
  if (index >= 0) throw new QuestionnaireError('unknown-training-pack', `Tier '${tiers[index]!.name}' names training pack ${tiers[index]!.trainingPackId}, which does not exist or was retired`, `tiers.${index}.trainingPackId`);
}

async function reload(tx: Transaction, questionnaireId: string): Promise<QuestionnaireRecord> {
  return (await findQuestionnaire(tx, questionnaireId))!;
}

/** The row, locked against concurrent changes and against reviews being made with it (their foreign key waits). */
async function lockQuestionnaire(tx: Transaction, questionnaireId: string): Promise<QuestionnaireRow> {
  const [row] = await tx.select().from(questionnaires).where(eq(questionnaires.id, questionnaireId)).for('update');
  if (!row) throw new QuestionnaireError('questionnaire-not-found', `No questionnaire ${questionnaireId}`);
  return row;
}

export async function createQuestionnaire(db: Database, input: NewQuestionnaire, audit: AuditContext): Promise<QuestionnaireRecord> {
  const questionnaireId = randomUUID();
  const tiers = byStart(input.tiers);
  return auditedChange(
    db,
    {
      ...audit,
      activity: 'ADD_QUESTIONAIRE',
      description: `Questionnaire "${input.name}" added`,
      details: { questionnaireId, version: 1, name: input.name, state: input.state, definition: definitionSummary(input.definition), tiers: tierSummary(tiers) },
    },
    async (tx) => {
      await refuseUnknownTrainingPacks(tx, input.tiers);
      await tx.insert(questionnaires).values({
        id: questionnaireId,
        name: input.name,
        description: input.description,
        state: input.state,
        currentVersion: 1,
        evaluatorGroups: [...new Set(input.evaluatorGroups)],
        selectionRules: input.selectionRules,
        disputeWindowDays: input.disputeWindowDays,
        createdBy: audit.actor.username,
      });
      await tx.insert(questionnaireVersions).values({ questionnaireId, version: 1, definition: input.definition, tiers, createdBy: audit.actor.username });
      return { value: await reload(tx, questionnaireId) };
    },
  );
}

/** Writes the next version beside the others; a retired questionnaire stays as it was. */
async function addVersion(tx: Transaction, row: QuestionnaireRow, content: { definition: QuestionnaireDefinition; tiers: ScoringTier[] }, createdBy: string): Promise<number> {
  if (row.retiredAt) throw new QuestionnaireError('retired', `Questionnaire ${row.id} was retired; it gets no new versions`);
  const version = row.currentVersion + 1;
  await tx.insert(questionnaireVersions).values({ questionnaireId: row.id, version, definition: content.definition, tiers: content.tiers, createdBy });
  await tx.update(questionnaires).set({ currentVersion: version, updatedAt: sql`now()` }).where(eq(questionnaires.id, row.id));
  return version;
}

/** A new version with this definition and the current tiers (EDIT_QUESTIONAIRE). */
export async function reviseDefinition(db: Database, questionnaireId: string, definition: QuestionnaireDefinition, audit: AuditContext): Promise<QuestionnaireRecord> {
  return auditedChange(
    db,
    { ...audit, activity: 'EDIT_QUESTIONAIRE', description: `Questionnaire ${questionnaireId}: new definition`, details: { questionnaireId, definition: definitionSummary(definition) } },
    async (tx) => {
      const row = await lockQuestionnaire(tx, questionnaireId);
      const current = (await loadQuestionnaireVersion(tx, questionnaireId, row.currentVersion))!;
      const version = await addVersion(tx, row, { definition, tiers: current.tiers }, audit.actor.username);
      return { value: await reload(tx, questionnaireId), details: { version, previousVersion: row.currentVersion } };
    },
  );
}

/** The seed audits a tier change by what it does to the list: the first tiers, their removal, or a change. */
export function tierActivity(before: readonly ScoringTier[], after: readonly ScoringTier[]): 'ADD_SCORING_TIER' | 'UPDATE_SCORING_TIER' | 'REMOVE_SCORING_TIERS' {
  if (after.length === 0) return 'REMOVE_SCORING_TIERS';
  return before.length === 0 ? 'ADD_SCORING_TIER' : 'UPDATE_SCORING_TIER';
}

/** A new version with these tiers and the current definition (ADD_SCORING_TIER, UPDATE_SCORING_TIER or REMOVE_SCORING_TIERS). */
export async function reviseTiers(db: Database, questionnaireId: string, tiers: ScoringTier[], audit: AuditContext): Promise<QuestionnaireRecord> {
  const ordered = byStart(tiers);
  // The activity is named before the transaction starts; the locked row must still agree with it.
  const seen = await loadCurrentQuestionnaire(db, questionnaireId);
  const activity = tierActivity(seen?.version.tiers ?? [], ordered);
  return auditedChange(
    db,
    { ...audit, activity, description: `Questionnaire ${questionnaireId}: scoring tiers ${ordered.length === 0 ? 'removed' : 'set'}`, details: { questionnaireId, tiers: tierSummary(ordered) } },
    async (tx) => {
      const row = await lockQuestionnaire(tx, questionnaireId);
      const current = (await loadQuestionnaireVersion(tx, questionnaireId, row.currentVersion))!;
      if (tierActivity(current.tiers, ordered) !== activity) throw new QuestionnaireError('changed-concurrently', `The tiers of questionnaire ${questionnaireId} changed meanwhile; repeat the request`);
      await refuseUnknownTrainingPacks(tx, tiers);
      const version = await addVersion(tx, row, { definition: current.definition, tiers: ordered }, audit.actor.username);
      return { value: await reload(tx, questionnaireId), details: { version, previousVersion: row.currentVersion, previousTiers: tierSummary(current.tiers) } };
    },
  );
}

function refuseStateChange(row: QuestionnaireRow, state: QuestionnaireState, usedByReviews: number): void {
  if (row.retiredAt && state !== 'inactive') throw new QuestionnaireError('retired', `Questionnaire ${row.id} was retired after use; it cannot be ${state} again`);
  if (state === 'draft' && usedByReviews > 0) throw new QuestionnaireError('used-by-reviews', `Questionnaire ${row.id} was used by ${usedByReviews} review(s); it cannot go back to draft`);
}

/** Name, description, dispute window and state, in place: none of them changes a score (EDIT_QUESTIONAIRE_PROPERTIES). */
export async function editProperties(db: Database, questionnaireId: string, changes: QuestionnaireProperties, audit: AuditContext): Promise<QuestionnaireRecord> {
  return auditedChange(
    db,
    { ...audit, activity: 'EDIT_QUESTIONAIRE_PROPERTIES', description: `Questionnaire ${questionnaireId}: details edited`, details: { questionnaireId } },
    async (tx) => {
      const row = await lockQuestionnaire(tx, questionnaireId);
      if (changes.state !== undefined && changes.state !== row.state) refuseStateChange(row, changes.state, (await questionnaireReferences(tx, questionnaireId)).usedByReviews);
      const changed = Object.fromEntries(
        (['name', 'description', 'disputeWindowDays', 'state'] as const).filter((field) => changes[field] !== undefined && changes[field] !== row[field]).map((field) => [field, { from: row[field], to: changes[field] }]),
      );
      if (Object.keys(changed).length > 0) {
        const values = Object.fromEntries(Object.entries(changed).map(([field, change]) => [field, change.to]));
        await tx.update(questionnaires).set({ ...values, updatedAt: sql`now()` }).where(eq(questionnaires.id, questionnaireId));
      }
      return { value: await reload(tx, questionnaireId), details: { changed } };
    },
  );
}

/** Which evaluator groups may use it; empty: every evaluator (EDIT_QUESTIONAIRE_PERMISSIONS). */
export async function setEvaluatorGroups(db: Database, questionnaireId: string, evaluatorGroups: string[], audit: AuditContext): Promise<QuestionnaireRecord> {
  const groups = [...new Set(evaluatorGroups)];
  return auditedChange(
    db,
    { ...audit, activity: 'EDIT_QUESTIONAIRE_PERMISSIONS', description: `Questionnaire ${questionnaireId}: evaluator groups set`, details: { questionnaireId, evaluatorGroups: groups } },
    async (tx) => {
      const row = await lockQuestionnaire(tx, questionnaireId);
      await tx.update(questionnaires).set({ evaluatorGroups: groups, updatedAt: sql`now()` }).where(eq(questionnaires.id, questionnaireId));
      return { value: await reload(tx, questionnaireId), details: { previousEvaluatorGroups: row.evaluatorGroups } };
    },
  );
}

/** Which conversations suit it (EDIT_QUESTIONAIRE_CALL_SELECTION_RULES). */
export async function setSelectionRules(db: Database, questionnaireId: string, selectionRules: CallSelectionRules, audit: AuditContext): Promise<QuestionnaireRecord> {
  return auditedChange(
    db,
    { ...audit, activity: 'EDIT_QUESTIONAIRE_CALL_SELECTION_RULES', description: `Questionnaire ${questionnaireId}: call selection rules set`, details: { questionnaireId, selectionRules } },
    async (tx) => {
      const row = await lockQuestionnaire(tx, questionnaireId);
      await tx.update(questionnaires).set({ selectionRules, updatedAt: sql`now()` }).where(eq(questionnaires.id, questionnaireId));
      return { value: await reload(tx, questionnaireId), details: { previousSelectionRules: row.selectionRules } };
    },
  );
}

/**
 * REMOVE_QUESTIONAIRE: one nothing refers to is deleted with its versions; one that reviews, calibrations
 * or plans refer to is retired (inactive, kept forever), so those keep what they were made with. Refused
 * while an enabled plan still selects conversations for it.
 */
export async function removeQuestionnaire(db: Database, questionnaireId: string, audit: AuditContext): Promise<Removal> {
  return auditedChange(db, { ...audit, activity: 'REMOVE_QUESTIONAIRE', description: `Questionnaire ${questionnaireId} removed`, details: { questionnaireId } }, async (tx) => {
    const row = await lockQuestionnaire(tx, questionnaireId);
    const references = await questionnaireReferences(tx, questionnaireId);
    const enabledPlans = references.plans.filter((plan) => plan.enabled && plan.removedAt === null);
    if (enabledPlans.length > 0) {
      const named = enabledPlans.map((plan) => `"${plan.name}" (${plan.id})`).join(', ');
      throw new QuestionnaireError('used-by-plans', `Questionnaire ${questionnaireId} is used by enabled review plan(s) ${named}; disable or remove them first`);
    }
    const details = { name: row.name, usedByReviews: references.usedByReviews, calibrations: references.calibrations, plans: references.plans.map((plan) => plan.id) };
    if (references.usedByReviews === 0 && references.calibrations === 0 && references.plans.length === 0) {
      await tx.delete(questionnaireVersions).where(eq(questionnaireVersions.questionnaireId, questionnaireId));
      await tx.delete(questionnaires).where(eq(questionnaires.id, questionnaireId));
      return { value: 'deleted' as const, details: { ...details, removed: 'deleted' } };
    }
    if (!row.retiredAt) await tx.update(questionnaires).set({ state: 'inactive', retiredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(questionnaires.id, questionnaireId));
    return { value: 'retired' as const, details: { ...details, removed: 'retired', alreadyRetired: row.retiredAt !== null } };
  });
}
