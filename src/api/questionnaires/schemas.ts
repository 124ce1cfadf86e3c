import { z } from '@hono/zod-openapi';
import { questionnaireDefinitionSchema, scoringTiersSchema } from '../../domain/questionnaire.js';
import { groupNameSchema } from '../../identity/user-input.js';
import { callSelectionRulesSchema } from '../../reviews/questionnaire-selection-rules.js';
import { pageQuerySchema } from '../pagination.js';

const name = z.string().min(1).max(200);
const description = z.string().max(4000);
const disputeWindowDays = z.number().int().min(1).max(365).openapi({ description: 'Days an agent has to acknowledge or dispute a revealed review' });
const evaluatorGroups = z.array(groupNameSchema).max(100).openapi({ description: 'Evaluator groups that may use it; empty: every evaluator' });
const definition = questionnaireDefinitionSchema.openapi('QuestionnaireDefinition');
const tiers = scoringTiersSchema.openapi('ScoringTiers', { description: 'Named score ranges covering 0 to 100 without gaps or overlaps; may be empty' });
const selectionRules = callSelectionRulesSchema.openapi('CallSelectionRules');
export const QUESTIONNAIRE_STATES = ['draft', 'active', 'inactive'] as const;

export const newQuestionnaireSchema = z
  .object({
    name,
    description: description.default(''),
    definition,
    tiers: tiers.default([]),
    evaluatorGroups: evaluatorGroups.default([]),
    selectionRules: selectionRules.default({}),
    disputeWindowDays: disputeWindowDays.default(14),
    state: z.enum(['draft', 'active']).default('draft'),
  })
  .openapi('NewQuestionnaire');

export const definitionBodySchema = z.object({ definition });
export const tiersBodySchema = z.object({ tiers });
export const evaluatorGroupsBodySchema = z.object({ evaluatorGroups });
export const selectionRulesBodySchema = z.object({ selectionRules });
export const propertiesBodySchema = z
  .object({ name: name.optional(), description: description.optional(), disputeWindowDays: disputeWindowDays.optional(), state: z.enum(QUESTIONNAIRE_STATES).optional() })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of name, description, disputeWindowDays and state');

export const questionnaireParams = z.object({ questionnaireId: z.uuid() });
export const versionParams = questionnaireParams.extend({ version: z.coerce.number().int().min(1).max(2_147_483_647) });
export const listQuery = pageQuerySchema.extend({ state: z.enum(QUESTIONNAIRE_STATES).optional() });

export const questionnaireSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    state: z.enum(QUESTIONNAIRE_STATES),
    currentVersion: z.number().int(),
    evaluatorGroups: z.array(z.string()),
    selectionRules,
    disputeWindowDays: z.number().int(),
    retiredAt: z.string().nullable().openapi({ description: 'Set when it was removed after use: retired, kept forever' }),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    usedByReviews: z.number().int(),
    definition: definition.openapi({ description: 'The current version' }),
    tiers,
  })
  .openapi('Questionnaire');

export const questionnaireDetailSchema = questionnaireSchema
  .extend({ versions: z.array(z.object({ version: z.number().int(), createdAt: z.string(), createdBy: z.string() })) })
  .openapi('QuestionnaireDetail');

export const questionnaireVersionSchema = z
  .object({ questionnaireId: z.uuid(), version: z.number().int(), definition, tiers, createdAt: z.string(), createdBy: z.string() })
  .openapi('QuestionnaireVersion');

export const removalSchema = z.object({ removed: z.enum(['deleted', 'retired']) }).openapi('QuestionnaireRemoval');
