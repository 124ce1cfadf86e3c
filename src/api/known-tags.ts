import type { Context } from 'hono';
import { unknownTagNames } from '../tags/tag-mirror.js';
import type { AppEnv } from './context.js';
import type { ApiDeps } from './deps.js';
import { ProblemError } from './problem.js';

/** Tags must be defined by an admin before anyone applies them; an unknown tag is refused (422). */
export async function requireKnownTag(deps: ApiDeps, _c: Context<AppEnv>, name: string): Promise<void> {
  const unknown = await deps.db.transaction((tx) => unknownTagNames(tx, [name]));
  if (unknown.length > 0) {
    throw new ProblemError(422, 'Unknown tag', {
      detail: `Tag ${name} is not defined; an admin defines tags first (POST /v1/tag-definitions)`,
      errors: [{ pointer: '/name', field: 'name', message: 'not a defined tag' }],
    });
  }
}
