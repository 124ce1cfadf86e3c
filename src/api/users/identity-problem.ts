import { IdentityError } from '../../identity/identity-error.js';
import { ProblemError } from '../problem.js';

/** Runs an identity change and turns its refusals into the problem the client sees. */
export async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    switch (error.code) {
      case 'username-taken':
        throw new ProblemError(409, 'Username taken', { detail: error.message, errors: [{ pointer: '/username', field: 'username', message: 'already taken' }] });
      case 'user-not-found':
        throw new ProblemError(404, 'User not found', { detail: error.message });
      case 'token-not-found':
        throw new ProblemError(404, 'API token not found', { detail: error.message });
      case 'last-admin':
        throw new ProblemError(409, 'Last admin', { detail: error.message });
    }
  }
}
