import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';


export const tagDefinitionSchema = z
  .object({
    name: tagNameSchema,
    description: z.string().max(1000).default(''),
    protectionYears: z.union([z.literal(5), z.literal(7)]).nullable().default(null).openapi({ description: 'MiFID II protection against deletion, counted from the conversation start' }),
  })
  .openapi('TagDefinition');

const tagDefinitionView = tagDefinitionSchema.extend({ createdAt: z.string(), createdBy: z.string() });

export const createTagDefinitionRoute = createRoute({
  method: 'post',
  path: '/v1/tag-definitions',
  tags: ['Tags'],
  summary: 'Define a tag (tags must be defined before anything applies them)',
  request: { body: jsonBody(tagDefinitionSchema) },
  responses: {
    201: jsonResponse('Defined', tagDefinitionView),
    ...problemResponses(409, 422),
  },
});

export const listTagDefinitionsRoute = createRoute({
  method: 'get',
  path: '/v1/tag-definitions',
  tags: ['Tags'],
  summary: 'List tag definitions',
  responses: { 200: jsonResponse('All definitions', z.object({ items: z.array(tagDefinitionView) })) },
});

export const deleteTagDefinitionRoute = createRoute({
  method: 'delete',
  path: '/v1/tag-definitions/{name}',
  tags: ['Tags'],
  summary: 'Remove a tag definition (tags already applied stay, protections already granted stay)',
  request: { params: z.object({ name: tagNameSchema }) },
  responses: { 204: { description: 'Removed' }, ...problemResponses(404, 422) },
});
