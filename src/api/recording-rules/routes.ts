import { createRoute, z } from '@hono/zod-openapi';
import { MAX_PHONE_PATTERN_CHARS, validatePhonePattern } from '../../domain/recording-rules.js';
import { jsonBody, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';

const phonePattern = z
  .string()
  .min(1)
  .max(64)
  .superRefine((pattern, ctx) => {
    const check = validatePhonePattern(pattern);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
    else if (check.normalized.length > MAX_PHONE_PATTERN_CHARS) {
      ctx.addIssue({ code: 'custom', message: `Phone pattern has ${check.normalized.length} characters besides separators; at most ${MAX_PHONE_PATTERN_CHARS}` });
    }
  });

export const recordingRuleInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    position: z.number().int().min(0).max(1_000_000),
    match: z.discriminatedUnion('type', [
      z.object({ type: z.literal('phone'), pattern: phonePattern }),
      z.object({ type: z.literal('external-data'), key: z.string().min(1).max(128), value: z.string().max(1024) }),
    ]),
    action: z.enum(['record', 'do-not-record']),
    tag: z.object({ name: tagNameSchema, value: z.string().max(256).nullable().optional() }).nullable().optional(),
    requireConsent: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .openapi('RecordingRuleInput');

const recordingRuleSchema = recordingRuleInputSchema.extend({ id: z.uuid(), createdAt: z.string(), updatedAt: z.string() }).openapi('RecordingRule');
const ruleIdParams = z.object({ ruleId: z.uuid() });

export const createRecordingRuleRoute = createRoute({
  method: 'post',
  path: '/v1/recording-rules',
  tags: ['Recording rules'],
  summary: 'Add a recording rule (evaluated top to bottom by position, per segment; first match wins)',
  request: { body: jsonBody(recordingRuleInputSchema) },
  responses: { 201: jsonResponse('Created', recordingRuleSchema), ...problemResponses(422) },
});

export const listRecordingRulesRoute = createRoute({
  method: 'get',
  path: '/v1/recording-rules',
  tags: ['Recording rules'],
  summary: 'List recording rules in evaluation order',
  responses: { 200: jsonResponse('Rules', z.object({ items: z.array(recordingRuleSchema) })) },
});

export const replaceRecordingRuleRoute = createRoute({
  method: 'put',
  path: '/v1/recording-rules/{ruleId}',
  tags: ['Recording rules'],
  summary: 'Replace a recording rule',
  request: { params: ruleIdParams, body: jsonBody(recordingRuleInputSchema) },
  responses: { 200: jsonResponse('Replaced', recordingRuleSchema), ...problemResponses(404, 422) },
});

export const deleteRecordingRuleRoute = createRoute({
  method: 'delete',
  path: '/v1/recording-rules/{ruleId}',
  tags: ['Recording rules'],
  summary: 'Remove a recording rule',
  request: { params: ruleIdParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(404, 422) },
});
