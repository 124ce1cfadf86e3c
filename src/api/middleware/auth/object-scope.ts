import { or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { conversations } from '../../../db/schema/index.js';
import { referenceConversationGrant, trainingAssignmentScope, trainingAssignmentVisibility } from '../../../training/training-scope.js';
import { callConversationId } from '../../calls/call-id.js';
import type { Principal } from './principal.js';
import { reviewScope, reviewVisibility } from '../../../reviews/review-scope.js';
import { callScope, conversationScope, conversationVisibility, type ObjectVisibility } from './scope.js';

/** Whether one object exists and whether the caller's scope covers it; undefined: the caller sees every object of the kind. */
type AccessCheck = (db: Executor, principal: Principal, id: string) => Promise<{ visibility: ObjectVisibility; conversationId: string | null } | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Objects that belong to one conversation and are seen by whoever sees it (or, for calls, took part). */
function conversationBound(conversationOf: (id: string) => string, scopeOf: (principal: Principal) => SQL | undefined): AccessCheck {
  return async (db, principal, id) => {
    const scope = scopeOf(principal);
    if (scope === undefined) return undefined;
    const conversationId = conversationOf(id);
    // A malformed id cannot name a conversation; the handler's validation answers it.
    if (!UUID.test(conversationId)) return undefined;
    const visibility = await conversationVisibility(db, scope, conversationId.toLowerCase());
    return { visibility, conversationId: conversationId.toLowerCase() };
  };
}

const reviewAccess: AccessCheck = async (db, principal, id) => {
  const scope = reviewScope(principal);
  if (scope === undefined || !UUID.test(id)) return undefined;
  return reviewVisibility(db, scope, id.toLowerCase());
};

/**
 * A conversation is also seen by a trainee whose training assignment names it as the reference
 * conversation: the assignment grants it, not a wider role (each play is still audited ACCESS_MEDIA).
 */
function conversationOrReferenceScope(principal: Principal): SQL | undefined {
  const scope = conversationScope(principal);
  return scope === undefined ? undefined : or(scope, referenceConversationGrant(principal.userId, sql`${conversations.id}`));
}

const trainingAssignmentAccess: AccessCheck = async (db, principal, id) => {
  const scope = trainingAssignmentScope(principal);
  if (scope === undefined || !UUID.test(id)) return undefined;
  return trainingAssignmentVisibility(db, scope, id.toLowerCase());
};

/**
 * The kinds of object a route's path can name, each with the path parameter that holds its id and who may
 * see it.
 */
const OBJECT_KINDS = {
  conversation: { parameter: 'conversationId', noun: 'Conversation', access: conversationBound((id) => id, conversationOrReferenceScope) },
  call: { parameter: 'callId', noun: 'Call', access: conversationBound(callConversationId, callScope) },
  review: { parameter: 'reviewId', noun: 'Review', access: reviewAccess },
  trainingAssignment: { parameter: 'assignmentId', noun: 'Training assignment', access: trainingAssignmentAccess },
} satisfies Record<string, { parameter: string; noun: string; access: AccessCheck }>;

export type ObjectKind = keyof typeof OBJECT_KINDS;
export const OBJECT_KIND_NAMES = Object.keys(OBJECT_KINDS) as ObjectKind[];

/** The path parameter that names an object of this kind. */
export const objectParameter = (kind: ObjectKind) => OBJECT_KINDS[kind].parameter;

export interface ObjectAccess {
  visibility: ObjectVisibility;
  noun: string;
  id: string;
  conversationId: string | null;
}

/**
 * Whether the caller may see the object a request names. Callers whose roles are unscoped see every
 * object (a missing one is the handler's to answer); scoped callers must see an existing object.
 */
export async function objectAccess(db: Executor, principal: Principal, kind: ObjectKind, params: Record<string, string>): Promise<ObjectAccess | undefined> {
  const definition = OBJECT_KINDS[kind];
  const id = params[definition.parameter];
  if (id === undefined) throw new Error(`Route scoped to ${kind} has no {${definition.parameter}} parameter`);
  const access = await definition.access(db, principal, id);
  return access && { ...access, noun: definition.noun, id };
}
