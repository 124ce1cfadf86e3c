import type { SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { callConversationId } from '../../calls/call-id.js';
import type { Principal } from './principal.js';
import { callScope, conversationScope, conversationVisibility, type ObjectVisibility } from './scope.js';

/**
 * The kinds of object a route's path can name, each with the path parameter that holds its id, the
 * conversation it belongs to, and who may see it. Reviews and training assignments add their kind here.
 */
const OBJECT_KINDS = {
  conversation: { parameter: 'conversationId', noun: 'Conversation', conversationOf: (id: string) => id, scope: conversationScope },
  call: { parameter: 'callId', noun: 'Call', conversationOf: callConversationId, scope: callScope },
} satisfies Record<string, { parameter: string; noun: string; conversationOf: (id: string) => string; scope: (principal: Principal) => SQL | undefined }>;

export type ObjectKind = keyof typeof OBJECT_KINDS;
export const OBJECT_KIND_NAMES = Object.keys(OBJECT_KINDS) as ObjectKind[];

/** The path parameter that names an object of this kind. */
export const objectParameter = (kind: ObjectKind) => OBJECT_KINDS[kind].parameter;

export interface ObjectAccess {
  visibility: ObjectVisibility;
  noun: string;
  id: string;
  conversationId: string;
}

/**
 * Whether the caller may see the object a request names. Callers whose roles are unscoped see every
 * object (a missing one is the handler's to answer); scoped callers must see an existing object.
 */
export async function objectAccess(db: Executor, principal: Principal, kind: ObjectKind, params: Record<string, string>): Promise<ObjectAccess | undefined> {
  const definition = OBJECT_KINDS[kind];
  const id = params[definition.parameter];
  if (id === undefined) throw new Error(`Route scoped to ${kind} has no {${definition.parameter}} parameter`);
  const scope = definition.scope(principal);
  if (scope === undefined) return undefined;
  const conversationId = definition.conversationOf(id);
  // A malformed id cannot name a conversation; the handler's validation answers it.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(conversationId)) return undefined;
  const visibility = await conversationVisibility(db, scope, conversationId.toLowerCase());
  return { visibility, noun: definition.noun, id, conversationId: conversationId.toLowerCase() };
}
