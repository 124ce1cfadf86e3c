import { createRoute, z } from '@hono/zod-openapi';
import { trainingPackDefinitionSchema } from '../../domain/training-pack.js';
import { jsonBody, jsonResponse, problemResponses } from '../openapi-shared.js';
import { pageQuerySchema } from '../pagination.js';

const tags = ['Training'];

const PACK_STATES = ['draft', 'active', 'retired'] as const;
const PURPOSES = ['performance', 'onboarding', 'coaching'] as const;
const name = z.string().min(1).max(200);
const description = z.string().max(4000);
const dueAfterSeconds = z.number().int().min(1).max(366 * 86_400).openapi({ description: 'An assignment (and each re-assignment after a failed attempt) is due this long after it is given' });
const reminderBeforeSeconds = z.number().int().min(1).max(366 * 86_400).nullable().openapi({ description: 'The trainee is reminded this long before the due time; null: no reminder' });
// Used as it is: a domain schema may have been built before zod was extended with `.openapi` (test imports).
const definition = trainingPackDefinitionSchema;
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lowercase hex characters');

export const newTrainingPackSchema = z
  .object({
    name,
    description: description.default(''),
    purpose: z.enum(PURPOSES),
    assignOnAgentCreation: z.boolean().default(false).openapi({ description: 'Assigned to every agent user created while the pack is active' }),
    dueAfterSeconds,
    reminderBeforeSeconds: reminderBeforeSeconds.default(null),
    state: z.enum(['draft', 'active']).default('draft'),
    definition,
  })
  .openapi('NewTrainingPack');

export const trainingPackPropertiesSchema = z
  .object({ name: name.optional(), description: description.optional(), assignOnAgentCreation: z.boolean().optional(), dueAfterSeconds: dueAfterSeconds.optional(), reminderBeforeSeconds: reminderBeforeSeconds.optional() })
  .refine((value) => Object.values(value).some((field) => field !== undefined), 'give at least one of name, description, assignOnAgentCreation, dueAfterSeconds and reminderBeforeSeconds')
  .openapi('TrainingPackProperties');

export const trainingPackSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    purpose: z.enum(PURPOSES),
    state: z.enum(PACK_STATES),
    currentVersion: z.number().int(),
    assignOnAgentCreation: z.boolean(),
    dueAfterSeconds: z.number().int(),
    reminderBeforeSeconds: z.number().int().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    retiredAt: z.string().nullable(),
    usedByAssignments: z.number().int(),
    /** The current version, with the quiz answers (never shown to agents). */
    definition,
  })
  .openapi('TrainingPack');

const packParams = z.object({ packId: z.uuid().openapi({ param: { name: 'packId', in: 'path' } }) });
const listQuery = pageQuerySchema.extend({ state: z.enum(PACK_STATES).optional(), purpose: z.enum(PURPOSES).optional() });
const answered = (description: string) => ({ 200: jsonResponse(description, trainingPackSchema), ...problemResponses(404, 409, 422) });

export const createTrainingPackRoute = createRoute({
  method: 'post',
  path: '/v1/training-packs',
  tags,
  summary: 'Add a training pack; its definition is version 1 (presentation files must be uploaded first)',
  request: { body: jsonBody(newTrainingPackSchema) },
  responses: { 201: jsonResponse('Added', trainingPackSchema), ...problemResponses(422) },
});

export const listTrainingPacksRoute = createRoute({
  method: 'get',
  path: '/v1/training-packs',
  tags,
  summary: 'List training packs, newest first',
  request: { query: listQuery },
  responses: { 200: jsonResponse('A page of packs', z.object({ items: z.array(trainingPackSchema), nextCursor: z.string().nullable() })), ...problemResponses(422) },
});

export const getTrainingPackRoute = createRoute({
  method: 'get',
  path: '/v1/training-packs/{packId}',
  tags,
  summary: 'A training pack with its current version and the list of its versions',
  request: { params: packParams },
  responses: {
    200: jsonResponse('The pack', trainingPackSchema.extend({ versions: z.array(z.object({ version: z.number().int(), createdAt: z.string(), createdBy: z.string() })) })),
    ...problemResponses(404, 422),
  },
});

export const updateTrainingPackRoute = createRoute({
  method: 'put',
  path: '/v1/training-packs/{packId}',
  tags,
  summary: 'Edit name, description, onboarding and timing in place (assignments already given keep their due times)',
  request: { params: packParams, body: jsonBody(trainingPackPropertiesSchema) },
  responses: answered('Edited'),
});

export const addTrainingPackVersionRoute = createRoute({
  method: 'post',
  path: '/v1/training-packs/{packId}/versions',
  tags,
  summary: 'A new definition: a new current version; assignments keep the version they were given',
  request: { params: packParams, body: jsonBody(z.object({ definition })) },
  responses: answered('The new version is current'),
});

export const activateTrainingPackRoute = createRoute({
  method: 'post',
  path: '/v1/training-packs/{packId}/activate',
  tags,
  summary: 'Make a draft pack assignable',
  request: { params: packParams },
  responses: answered('Active'),
});

export const removeTrainingPackRoute = createRoute({
  method: 'delete',
  path: '/v1/training-packs/{packId}',
  tags,
  summary: 'Remove a pack: deleted if never assigned, otherwise retired and kept with every version',
  request: { params: packParams },
  responses: { 200: jsonResponse('Deleted or retired', z.object({ removed: z.enum(['deleted', 'retired']) })), ...problemResponses(404, 422) },
});

export const storedMaterialSchema = z
  .object({ sha256, sizeBytes: z.number().int(), fileName: z.string(), mediaType: z.string(), written: z.boolean().openapi({ description: 'False when the same bytes were stored before' }) })
  .openapi('TrainingMaterial');

export const uploadTrainingMaterialRoute = createRoute({
  method: 'post',
  path: '/v1/training-materials',
  tags,
  summary: 'Store a presentation file (the raw bytes as the body); list it in a pack by the digest answered',
  request: {
    query: z.object({
      fileName: z.string().min(1).max(255).openapi({ description: 'The file name trainees see' }),
      mediaType: z.string().min(1).max(255).optional().openapi({ description: 'Defaults to the Content-Type of the request' }),
    }),
    body: { required: false, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: { 201: jsonResponse('Stored', storedMaterialSchema), ...problemResponses(413, 422) },
});

export const getTrainingMaterialRoute = createRoute({
  method: 'get',
  path: '/v1/training-materials/{sha256}',
  tags,
  summary: 'Download a presentation file: for trainees of a pack version that lists it, and managers (audited ACCESS_MEDIA)',
  request: { params: z.object({ sha256: sha256.openapi({ param: { name: 'sha256', in: 'path' } }) }) },
  responses: {
    200: { description: 'The file, verified against its digest', content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } } },
    ...problemResponses(404, 422),
    500: { description: 'The stored file no longer matches its digest: it is not served' },
  },
});
