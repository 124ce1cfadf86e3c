import { arrayContains, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { conversationEmails, conversationSearchDocuments, conversationSegments, conversationTags, conversations } from '../db/schema/index.js';
import { SEARCH_CONFIGURATION } from './search-document.js';

/** The Conversation Explorer's filters; every one given must match (AND). */
export interface ConversationSearchFilters {
  channel?: string;
  /** Conversations carrying this capture flag (a kept value the engine did not recognise). */
  captureFlag?: string;
  /** started_at in [from, to) */
  from?: Date;
  to?: Date;
  agent?: string;
  queue?: string;
  /** The customer's or the system's address, or any party of a recorded call segment. */
  phone?: string;
  /** Each tag must be present (with this value, when one is given). */
  tags?: { name: string; value: string | null }[];
  emailFrom?: string;
  emailTo?: string;
  cc?: string;
  /** Words of the subject, in web-search syntax ("quoted phrase", -excluded, or). */
  subject?: string;
  /** Full text over chat messages, email subject, parties and body, and call metadata. */
  q?: string;
  /** Contact attributes that must hold exactly these values (see attributeFilters). */
  attributes?: AttributeFilters;
  lifecycleState?: string;
}

/** Attribute name → required value, in an object without a prototype, so no name can turn into one. */
export type AttributeFilters = Readonly<Record<string, string>>;

/** Amazon Connect's rule for attribute keys: letters, digits, `-` and `_`. */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Names every JavaScript object already answers to; refused rather than given a meaning of their own. */
const RESERVED_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` cannot be filtered on, or null when it can. */
export function attributeNameProblem(name: string): string | null {
  if (!ATTRIBUTE_NAME.test(name)) return 'an attribute name has 1 to 128 letters, digits, "-" or "_"';
  if (RESERVED_ATTRIBUTE_NAMES.has(name)) return `"${name}" is reserved: every JavaScript object has it`;
  return null;
}

/** The attribute filters as a prototype-free map; throws on a name attributeNameProblem refuses. */
export function attributeFilters(entries: Iterable<readonly [string, string]>): AttributeFilters {
  const filters: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) {
    const problem = attributeNameProblem(name);
    if (problem !== null) throw new Error(`Attribute filter ${JSON.stringify(name)}: ${problem}`);
    filters[name] = value;
  }
  return filters;
}

const config = sql.raw(`'${SEARCH_CONFIGURATION}'`);
const webSearch = (text: string) => sql`websearch_to_tsquery(${config}, ${text})`;

/** One SQL condition per given filter; the expressions match the indexes that serve them. */
export function searchConditions(filters: ConversationSearchFilters): SQL[] {
  const c = conversations;
  const conditions: (SQL | undefined)[] = [];
  if (filters.channel) conditions.push(eq(c.channel, filters.channel));
  // Both conditions, so the planner can use the partial index on flagged conversations.
  if (filters.captureFlag) conditions.push(arrayContains(c.captureFlags, [filters.captureFlag]), sql`${c.captureFlags} <> '{}'::text[]`);
  if (filters.from) conditions.push(gte(c.startedAt, filters.from));
  if (filters.to) conditions.push(lt(c.startedAt, filters.to));
  if (filters.agent) conditions.push(eq(c.agentUsername, filters.agent));
  if (filters.queue) conditions.push(eq(c.queueName, filters.queue));
  if (filters.lifecycleState) conditions.push(eq(c.lifecycleState, filters.lifecycleState));
  if (filters.phone) {
    const s = conversationSegments;
    conditions.push(
      or(
        eq(c.customerAddress, filters.phone),
        eq(c.systemAddress, filters.phone),
        sql`exists (select 1 from ${s} where ${s.conversationId} = ${c.id} and (${s.partyA} = ${filters.phone} or ${s.partyB} = ${filters.phone}))`,
      ),
    );
  }
  for (const tag of filters.tags ?? []) {
    const t = conversationTags;
    const value = tag.value === null ? sql`` : sql` and ${t.value} = ${tag.value}`;
    conditions.push(sql`exists (select 1 from ${t} where ${t.conversationId} = ${c.id} and ${t.name} = ${tag.name}${value})`);
  }
  if (filters.attributes && Object.keys(filters.attributes).length > 0) {
    conditions.push(sql`${c.attributes} @> ${JSON.stringify(filters.attributes)}::jsonb`);
  }
  // Addresses are stored lower-cased.
  if (filters.emailFrom) conditions.push(eq(conversationEmails.fromAddress, filters.emailFrom.toLowerCase()));
  if (filters.emailTo) conditions.push(arrayContains(conversationEmails.toAddresses, [filters.emailTo.toLowerCase()]));
  if (filters.cc) conditions.push(arrayContains(conversationEmails.ccAddresses, [filters.cc.toLowerCase()]));
  if (filters.subject) {
    conditions.push(sql`to_tsvector(${config}, coalesce(${conversationEmails.subject}, '')) @@ ${webSearch(filters.subject)}`);
  }
  if (filters.q) {
    const d = conversationSearchDocuments;
    conditions.push(sql`exists (select 1 from ${d} where ${d.conversationId} = ${c.id} and ${d.document} @@ ${webSearch(filters.q)})`);
  }
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}
