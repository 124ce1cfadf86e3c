import type { Context } from 'hono';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';

export interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  body: T;
  headers: Headers;
}

/** A problem+json answer, as the API gives it on refusal. */
export interface ApiProblem {
  title?: string;
  detail?: string;
  errors?: { field?: string; message?: string }[];
}

/**
 * Calls the engine's API in-process as the signed-in viewer. The page never decides on its own what a
 * viewer may see or do: the API's permission table, scopes and audit apply exactly as to any client.
 */
export async function callApi<T>(
  deps: ConsoleDeps,
  c: Context<ConsoleEnv>,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${c.var.viewer.sessionSecret}`,
    accept: 'application/json',
    // The page's request id, so an auditor sees which page view made the API call.
    'x-request-id': c.var.requestId,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await deps.api(
    new Request(`http://console.internal${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? ((await response.json()) as T) : ((await response.text()) as T);
  return { status: response.status, ok: response.ok, body: parsed, headers: response.headers };
}

/** The query string of a filter form, without the empty fields a form always sends. */
export function queryString(params: Record<string, string | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== '') search.append(key, item);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function problemText(body: unknown): string {
  const problem = (body ?? {}) as ApiProblem;
  const fields = (problem.errors ?? []).map((error) => `${error.field ?? ''}: ${error.message ?? ''}`).join('; ');
  return [problem.title, problem.detail, fields].filter(Boolean).join(' — ') || 'The request was refused';
}
