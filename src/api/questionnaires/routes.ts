import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, problemResponses } from '../openapi-shared.js';
import {
  definitionBodySchema,
  evaluatorGroupsBodySchema,
  listQuery,
  newQuestionnaireSchema,
  propertiesBodySchema,
  questionnaireDetailSchema,
  questionnaireParams,
  questionnaireSchema,
  questionnaireVersionSchema,
  removalSchema,
  selectionRulesBodySchema,
  tiersBodySchema,
  versionParams,
} from './schemas.js';

const tags = ['Questionnaires'];
const answered = (description: string) => ({ 200: jsonResponse(description, questionnaireSchema), ...problemResponses(404, 409, 422) });

export const createQuestionnaireRoute = createRoute({
  method: 'post',
  path: '/v1/questionnaires',
  tags,
  summary: 'Add a questionnaire; its definition and tiers are version 1',
  request: { body: jsonBody(newQuestionnaireSchema) },
  responses: { 201: jsonResponse('Added', questionnaireSchema), ...problemResponses(422) },
});

export const listQuestionnairesRoute = createRoute({
  method: 'get',
  path: '/v1/questionnaires',
  tags,
  summary: 'List questionnaires, newest first',
  request: { query: listQuery },
  responses: { 200: jsonResponse('A page of questionnaires', z.object({ items: z.array(questionnaireSchema), nextCursor: z.string().nullable() })), ...problemResponses(422) },
});

export const getQuestionnaireRoute = createRoute({
  method: 'get',
  path: '/v1/questionnaires/{questionnaireId}',
  tags,
  summary: 'A questionnaire with its current version and the list of all its versions',
  request: { params: questionnaireParams },
  responses: { 200: jsonResponse('The questionnaire', questionnaireDetailSchema), ...problemResponses(404, 422) },
});

export const getQuestionnaireVersionRoute = createRoute({
  method: 'get',
  path: '/v1/questionnaires/{questionnaireId}/versions/{version}',
  tags,
  summary: 'One version exactly as reviews were scored with it',
  request: { params: versionParams },
  responses: { 200: jsonResponse('The version', questionnaireVersionSchema), ...problemResponses(404, 422) },
});

export const reviseDefinitionRoute = createRoute({
  method: 'put',
  path: '/v1/questionnaires/{questionnaireId}/definition',
  tags,
  summary: 'Change the questions, weights or N/A method: always a new version (tiers carried over)',
  request: { params: questionnaireParams, body: jsonBody(definitionBodySchema) },
  responses: answered('The new version is current'),
});

export const reviseTiersRoute = createRoute({
  method: 'put',
  path: '/v1/questionnaires/{questionnaireId}/tiers',
  tags,
  summary: 'Replace the scoring tiers: a new version with the same definition',
  request: { params: questionnaireParams, body: jsonBody(tiersBodySchema) },
  responses: answered('The new version is current'),
});

export const editPropertiesRoute = createRoute({
  method: 'patch',
  path: '/v1/questionnaires/{questionnaireId}',
  tags,
  summary: 'Edit name, description, dispute window or state in place (none of them changes a score)',
  request: { params: questionnaireParams, body: jsonBody(propertiesBodySchema) },
  responses: answered('Edited'),
});

export const setEvaluatorGroupsRoute = createRoute({
  method: 'put',
  path: '/v1/questionnaires/{questionnaireId}/permissions',
  tags,
  summary: 'Set which evaluator groups may use it',
  request: { params: questionnaireParams, body: jsonBody(evaluatorGroupsBodySchema) },
  responses: answered('Set'),
});

export const setSelectionRulesRoute = createRoute({
  method: 'put',
  path: '/v1/questionnaires/{questionnaireId}/selection-rules',
  tags,
  summary: 'Set the call selection rules: which conversations suit it',
  request: { params: questionnaireParams, body: jsonBody(selectionRulesBodySchema) },
  responses: answered('Set'),
});

export const removeQuestionnaireRoute = createRoute({
  method: 'delete',
  path: '/v1/questionnaires/{questionnaireId}',
  tags,
  summary: 'Remove a questionnaire: deleted if nothing used it, otherwise retired and kept forever',
  request: { params: questionnaireParams },
  responses: { 200: jsonResponse('Deleted or retired', removalSchema), ...problemResponses(404, 409, 422) },
});
