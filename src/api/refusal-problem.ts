import { Refusal } from '../lib/refusal.js';
import { ProblemError } from './problem.js';

const STATUS = { 'not-found': 404, 'not-yours': 403, conflict: 409, invalid: 422 } as const;

/** Runs a review or training service call and turns its refusals into the problem the client sees, naming each field. */
export async function asRefusalProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const errors = error.problems.map((problem) => ({ pointer: `/${problem.path.split('.').join('/')}`, field: problem.path, message: problem.message }));
    throw new ProblemError(STATUS[error.code], error.title, { detail: error.detail, ...(errors.length > 0 ? { errors } : {}) });
  }
}
