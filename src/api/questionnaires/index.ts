import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { questionnaireHandlers } from './handlers.js';
import {
  createQuestionnaireRoute,
  editPropertiesRoute,
  getQuestionnaireRoute,
  getQuestionnaireVersionRoute,
  listQuestionnairesRoute,
  removeQuestionnaireRoute,
  reviseDefinitionRoute,
  reviseTiersRoute,
  setEvaluatorGroupsRoute,
  setSelectionRulesRoute,
} from './routes.js';

/** Questionnaires (the seed's Questionnaires module): what scores changes only by new versions; the rest in place. */
export function questionnaireRoutes(deps: ApiDeps) {
  const handlers = questionnaireHandlers(deps);
  return new OpenAPIHono<AppEnv>()
    .openapi(createQuestionnaireRoute, handlers.createQuestionnaire)
    .openapi(listQuestionnairesRoute, handlers.listQuestionnaires)
    .openapi(getQuestionnaireRoute, handlers.getQuestionnaire)
    .openapi(getQuestionnaireVersionRoute, handlers.getQuestionnaireVersion)
    .openapi(reviseDefinitionRoute, handlers.reviseDefinition)
    .openapi(reviseTiersRoute, handlers.reviseTiers)
    .openapi(editPropertiesRoute, handlers.editProperties)
    .openapi(setEvaluatorGroupsRoute, handlers.setEvaluatorGroups)
    .openapi(setSelectionRulesRoute, handlers.setSelectionRules)
    .openapi(removeQuestionnaireRoute, handlers.removeQuestionnaire);
}
