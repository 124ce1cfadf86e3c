import type { Context } from 'hono';
import type { AppEnv } from './context.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { FailureType } from '../domain/failures.js';

/** RFC 9457 problem details; `errors` names each offending field as a JSON pointer. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { pointer: string; field: string; message: string }[];
  requestId?: string;
}

export function zodIssues(error: ZodError, prefix = ''): NonNullable<Problem['errors']> {
  return error.issues.map((issue) => {
    const segments = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
    return { pointer: `/${segments.join('/')}`, field: segments.join('.') || '(body)', message: issue.message };
  });
}

export function problem(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, extra: Partial<Problem> = {}) {
  const body: Problem = {
    type: extra.type ?? `https://recordkeeper.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    ...extra,
    requestId: c.get('requestId'),
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

/** Thrown by handlers; the app's error handler renders it, so handlers return only their success type. */
export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly extra: Partial<Problem> = {},
  ) {
    // The message (what an audit entry records as the error) says both what and why.
    super(extra.detail ? `${title}: ${extra.detail}` : title);
  }
}

/** The one place that maps engine failure types to HTTP statuses. */
export const FAILURE_STATUS: Record<FailureType, ContentfulStatusCode> = {
  [FailureType.InvalidInput]: 422,
  [FailureType.NotFound]: 404,
  [FailureType.ConversationDisposed]: 410,
  [FailureType.NoActiveCall]: 409,
  [FailureType.UnknownTag]: 422,
  [FailureType.Conflict]: 409,
  [FailureType.UnparsableEmail]: 422,
};
