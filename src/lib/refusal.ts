/**
 * Why a change to a review or a training record was refused; the API maps each code to one status
 * (not-found 404, not-yours 403, conflict 409, invalid 422, in src/api/refusal-problem.ts). `problems`
 * name the offending fields as dotted paths (`answers.q3`, `definition.presentation.0.sha256`).
 */
export type RefusalCode = 'not-found' | 'not-yours' | 'conflict' | 'invalid';

export interface FieldProblem {
  path: string;
  message: string;
}

export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    readonly title: string,
    readonly detail: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(`${title}: ${detail}`);
  }
}

export const invalidField = (path: string, message: string) => new Refusal('invalid', 'Invalid request', `${path}: ${message}`, [{ path, message }]);

/** A 422 naming every problem, or nothing when there is none. */
export function refuseProblems(title: string, problems: readonly FieldProblem[]): void {
  if (problems.length === 0) return;
  throw new Refusal('invalid', title, problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '), problems);
}

/** PostgreSQL's unique_violation of one named constraint or index, e.g. "one review per questionnaire and conversation" losing a race. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const pg = cause as { code?: string; constraint?: string };
  return pg?.code === '23505' && pg.constraint === constraint;
}
