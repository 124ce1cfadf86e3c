/**
 * Why a training change was refused; the API maps each code to one status (not-found 404, not-yours 403,
 * conflict 409, invalid 422). `problems` name the offending fields as dotted paths (`definition.presentation.0.sha256`).
 */
export type TrainingErrorCode = 'not-found' | 'not-yours' | 'conflict' | 'invalid';

export interface TrainingFieldProblem {
  path: string;
  message: string;
}

export class TrainingError extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    readonly title: string,
    readonly detail: string,
    readonly problems: readonly TrainingFieldProblem[] = [],
  ) {
    super(`${title}: ${detail}`);
  }
}

export const invalidTrainingField = (path: string, message: string) => new TrainingError('invalid', 'Invalid request', `${path}: ${message}`, [{ path, message }]);

/** A 422 naming every problem, or nothing when there is none. */
export function refuseTrainingProblems(title: string, problems: readonly TrainingFieldProblem[]): void {
  if (problems.length === 0) return;
  throw new TrainingError('invalid', title, problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '), problems);
}

/** PostgreSQL's unique_violation of one named constraint or index. */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const pg = cause as { code?: string; constraint?: string };
  return pg?.code === '23505' && pg.constraint === constraint;
}
