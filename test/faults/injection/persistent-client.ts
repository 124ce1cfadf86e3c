/** An answer with its JSON body parsed (text when it is not JSON). */
export interface HttpAnswer {
  status: number;
  body: any;
}

async function call(baseUrl: string, token: string, method: string, path: string, body: unknown): Promise<HttpAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Answers worth sending again: the API was down or restarting, PostgreSQL or Temporal was away. */
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

/**
 * (Not test/support/harness.ts's httpCall: that module brings the whole in-process app, which this suite runs
 * as a child process.) The contact-center feed's behaviour: a request that failed on the way (connection refused or reset, a 5xx
 * while a dependency restarts) is sent again, unchanged, until it is answered. Every request the suite makes
 * is safe to repeat, which is itself under test.
 */
export function persistentClient(baseUrl: string, token: string, deadlineMs: number) {
  let retries = 0;
  return {
    retries: () => retries,
    async send(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const answer = await call(baseUrl, token, method, path, body).catch((error: Error) => error);
        if (!(answer instanceof Error) && !RETRIED_STATUSES.has(answer.status)) return answer;
        if (Date.now() > deadline) {
          throw new Error(`${method} ${path} not answered within ${deadlineMs} ms: ${answer instanceof Error ? answer.message : `${answer.status} ${JSON.stringify(answer.body)}`}`);
        }
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },
  };
}

export type PersistentClient = ReturnType<typeof persistentClient>;
