import type { RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { QuestionnaireError } from '../../reviews/questionnaire-errors.js';
import type { callSelectionRulesSchema } from '../../reviews/questionnaire-selection-rules.js';
import { findQuestionnaire, listQuestionnaireVersions, listQuestionnaires, type QuestionnaireRecord, type QuestionnaireState } from '../../reviews/questionnaire-reads.js';
import { loadQuestionnaireVersion, type QuestionnaireVersionRow } from '../../reviews/questionnaire-versions.js';
import { createQuestionnaire, editProperties, removeQuestionnaire, reviseDefinition, reviseTiers, setEvaluatorGroups, setSelectionRules } from '../../reviews/questionnaires.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { cursorTimestampSchema, decodeCursor, pageOf } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type * as routes from './routes.js';

type SelectionRules = z.output<typeof callSelectionRulesSchema>;
const cursorPosition = z.strictObject({ at: cursorTimestampSchema, id: z.uuid() });

function questionnaireView({ questionnaire: q, version, usedByReviews }: QuestionnaireRecord) {
  return {
    id: q.id,
    name: q.name,
    description: q.description,
    state: q.state as QuestionnaireState,
    currentVersion: q.currentVersion,
    evaluatorGroups: q.evaluatorGroups,
    // Written only through callSelectionRulesSchema, whose channel names the stored type spells as strings.
    selectionRules: q.selectionRules as SelectionRules,
    disputeWindowDays: q.disputeWindowDays,
    retiredAt: q.retiredAt?.toISOString() ?? null,
    createdBy: q.createdBy,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
    usedByReviews,
    definition: version.definition,
    tiers: version.tiers,
  };
}

const versionView = (row: QuestionnaireVersionRow) => ({
  questionnaireId: row.questionnaireId,
  version: row.version,
  definition: row.definition,
  tiers: row.tiers,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
});

const notFound = (questionnaireId: string) => new ProblemError(404, 'Questionnaire not found', { detail: questionnaireId });

/** Runs a questionnaire change and turns its refusals into the problem the client sees. */
async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof QuestionnaireError)) throw error;
    switch (error.code) {
      case 'questionnaire-not-found':
        throw new ProblemError(404, 'Questionnaire not found', { detail: error.message });
      case 'version-not-found':
        throw new ProblemError(404, 'Questionnaire version not found', { detail: error.message });
      case 'used-by-reviews':
        throw new ProblemError(409, 'Questionnaire in use', { detail: error.message, errors: [{ pointer: '/state', field: 'state', message: 'a questionnaire used by reviews cannot go back to draft' }] });
      case 'retired':
        throw new ProblemError(409, 'Questionnaire retired', { detail: error.message });
      case 'used-by-plans':
        throw new ProblemError(409, 'Questionnaire used by review plans', { detail: error.message });
      case 'changed-concurrently':
        throw new ProblemError(409, 'Questionnaire changed meanwhile', { detail: error.message });
      case 'unknown-training-pack': {
        const field = error.field ?? 'tiers';
        throw new ProblemError(422, 'Unknown training pack', { detail: error.message, errors: [{ pointer: `/${field.split('.').join('/')}`, field, message: 'no such training pack, or it was retired' }] });
      }
    }
  }
}

export function questionnaireHandlers(deps: ApiDeps) {
  const createQuestionnaireHandler: RouteHandler<typeof routes.createQuestionnaireRoute, AppEnv> = async (c) => {
    const record = await asProblem(() => createQuestionnaire(deps.db, c.req.valid('json'), requestContext(c)));
    return c.json(questionnaireView(record), 201);
  };
  const listQuestionnairesHandler: RouteHandler<typeof routes.listQuestionnairesRoute, AppEnv> = async (c) => {
    const { limit, cursor, state } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, cursorPosition);
    const rows = await listQuestionnaires(deps.db, { state, limit: limit + 1, after });
    const page = pageOf(rows, limit, (row) => ({ at: row.at, id: row.questionnaire.id }));
    return c.json({ items: page.items.map(questionnaireView), nextCursor: page.nextCursor }, 200);
  };
  const getQuestionnaire: RouteHandler<typeof routes.getQuestionnaireRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    const record = await findQuestionnaire(deps.db, questionnaireId);
    if (!record) throw notFound(questionnaireId);
    const versions = await listQuestionnaireVersions(deps.db, questionnaireId);
    return c.json({ ...questionnaireView(record), versions: versions.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) }, 200);
  };
  const getQuestionnaireVersion: RouteHandler<typeof routes.getQuestionnaireVersionRoute, AppEnv> = async (c) => {
    const { questionnaireId, version } = c.req.valid('param');
    const row = await loadQuestionnaireVersion(deps.db, questionnaireId, version);
    if (!row) throw new ProblemError(404, 'Questionnaire version not found', { detail: `${questionnaireId} has no version ${version}` });
    return c.json(versionView(row), 200);
  };
  const reviseDefinitionHandler: RouteHandler<typeof routes.reviseDefinitionRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    const { definition } = c.req.valid('json');
    return c.json(questionnaireView(await asProblem(() => reviseDefinition(deps.db, questionnaireId, definition, requestContext(c)))), 200);
  };
  const reviseTiersHandler: RouteHandler<typeof routes.reviseTiersRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    const { tiers } = c.req.valid('json');
    return c.json(questionnaireView(await asProblem(() => reviseTiers(deps.db, questionnaireId, tiers, requestContext(c)))), 200);
  };
  const editPropertiesHandler: RouteHandler<typeof routes.editPropertiesRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    return c.json(questionnaireView(await asProblem(() => editProperties(deps.db, questionnaireId, c.req.valid('json'), requestContext(c)))), 200);
  };
  const setEvaluatorGroupsHandler: RouteHandler<typeof routes.setEvaluatorGroupsRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    const { evaluatorGroups } = c.req.valid('json');
    return c.json(questionnaireView(await asProblem(() => setEvaluatorGroups(deps.db, questionnaireId, evaluatorGroups, requestContext(c)))), 200);
  };
  const setSelectionRulesHandler: RouteHandler<typeof routes.setSelectionRulesRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    const { selectionRules } = c.req.valid('json');
    return c.json(questionnaireView(await asProblem(() => setSelectionRules(deps.db, questionnaireId, selectionRules, requestContext(c)))), 200);
  };
  const removeQuestionnaireHandler: RouteHandler<typeof routes.removeQuestionnaireRoute, AppEnv> = async (c) => {
    const { questionnaireId } = c.req.valid('param');
    return c.json({ removed: await asProblem(() => removeQuestionnaire(deps.db, questionnaireId, requestContext(c))) }, 200);
  };

  return {
    createQuestionnaire: createQuestionnaireHandler,
    listQuestionnaires: listQuestionnairesHandler,
    getQuestionnaire,
    getQuestionnaireVersion,
    reviseDefinition: reviseDefinitionHandler,
    reviseTiers: reviseTiersHandler,
    editProperties: editPropertiesHandler,
    setEvaluatorGroups: setEvaluatorGroupsHandler,
    setSelectionRules: setSelectionRulesHandler,
    removeQuestionnaire: removeQuestionnaireHandler,
  };
}
