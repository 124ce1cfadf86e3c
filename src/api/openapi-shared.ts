import { z } from '@hono/zod-openapi';

/** A tag's name, wherever a request names one (tagging, rules, tasks, call events). */
export const tagNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, at most 64')
  .openapi({ example: 'MIFID_ADVICE' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone: the conversation was deleted',
  413: 'Request body too large',
  422: 'Invalid input; `errors` names each offending field',
};

export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': { schema: problemSchema } } },
    ]),
  );
}

/** A JSON media type of a request body or response. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** A JSON request body, required unless said otherwise. */
export const jsonBody = <T extends z.ZodType, Required extends boolean = true>(schema: T, required: Required = true as Required) => ({ required, content: jsonContent(schema) });

/** A JSON response with its description. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: jsonContent(schema) });
