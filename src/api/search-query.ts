import { z } from '@hono/zod-openapi';
import { CAPTURE_FLAG_CODES, channelValueSchema, type CaptureFlag } from '../domain/contact-record.js';
import { isStorableText } from '../db/storable-text.js';
import type { SearchPosition } from '../search/conversation-search.js';
import { attributeFilters, attributeNameProblem, type AttributeFilters, type ConversationSearchFilters } from '../search/search-filters.js';
import { cursorSchema, cursorTimestampSchema, decodeCursor } from './pagination.js';

/**
 * The Conversation Explorer's filters as a request states them: shared by the search and by legal holds
 * placed on a search, so both read the same query the same way.
 */
export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 200;
/** Attribute filters are `attr.<key>=<value>` query parameters. */
export const ATTRIBUTE_PREFIX = 'attr.';
const MAX_ATTRIBUTE_FILTERS = 20;
const MAX_ATTRIBUTE_VALUE_CHARS = 1000;

const text = (description: string, max = 256) => z.string().min(1).max(max).optional().openapi({ description });
const timestamp = (description: string) => z.iso.datetime({ offset: true }).optional().openapi({ description });

/** The Conversation Explorer's filters, apart from `attr.<key>`, which no schema can list. */
const filterShape = {
  channel: channelValueSchema.optional().openapi({ description: 'VOICE, CHAT, TASK, EMAIL, or any other value a source sent' }),
  flag: z.enum(CAPTURE_FLAG_CODES as [CaptureFlag, ...CaptureFlag[]]).optional().openapi({ description: 'Conversations kept with a value the engine did not recognise (a capture flag)' }),
  from: timestamp('Started at or after (ISO 8601)'),
  to: timestamp('Started before (ISO 8601)'),
  agent: text("The agent's username"),
  queue: text('Queue name'),
  phone: text("A phone number or address: the customer's, the system's, or any party of a recorded call segment"),
  tag: z
    .union([z.string().min(1).max(300), z.array(z.string().min(1).max(300)).max(20)])
    .optional()
    .openapi({ description: '`name` or `name=value`; repeat for several tags, all of which must be present' }),
  emailFrom: text('Sender address of an email'),
  emailTo: text('A To address of an email'),
  cc: text('A Cc address of an email'),
  subject: text('Words of an email subject (web-search syntax: "phrase", -word, or)', 500),
  q: text('Full text over chat messages and participant names, email addresses, subject and body, and call metadata', 500),
  state: z.string().regex(/^[a-z_-]{1,32}$/).optional().openapi({ description: 'Lifecycle state, e.g. open, captured, deleted' }),
};

const pageShape = {
  limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(SEARCH_DEFAULT_LIMIT).openapi({ description: `Page size, at most ${SEARCH_MAX_LIMIT}` }),
  cursor: cursorSchema,
};

/**
 * Refuses every key that is neither a declared parameter nor a usable `attr.<key>`, on the raw input: a
 * filter dropped without a word would widen the search (and a legal hold placed from it) to everything.
 * Values PostgreSQL cannot take are refused here too, before they fail the query.
 * It runs before the object schema, which copies keys by assignment and so loses `__proto__` unseen.
 */
function onlyKnownKeys(known: ReadonlySet<string>) {
  return (input: unknown, ctx: z.core.$RefinementCtx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    let attributes = 0;
    for (const [key, value] of Object.entries(input)) {
      if (![value].flat().every((item) => typeof item !== 'string' || isStorableText(item))) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'contains a NUL character or an unpaired surrogate', input: key });
        continue;
      }
      if (known.has(key)) continue;
      if (!key.startsWith(ATTRIBUTE_PREFIX)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'not a filter of this search; contact attributes are attr.<key>', input: key });
        continue;
      }
      attributes += 1;
      const problem = attributeNameProblem(key.slice(ATTRIBUTE_PREFIX.length));
      if (problem !== null) ctx.addIssue({ code: 'custom', path: [key], message: problem, input: key });
      else if (typeof value !== 'string' || value.length > MAX_ATTRIBUTE_VALUE_CHARS) {
        ctx.addIssue({ code: 'custom', path: [key], message: `give one value of at most ${MAX_ATTRIBUTE_VALUE_CHARS} characters: attr.<key>=<value>`, input: value });
      }
    }
    if (attributes > MAX_ATTRIBUTE_FILTERS) ctx.addIssue({ code: 'custom', path: ['attr'], message: `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`, input });
    return input;
  };
}

const withKnownKeys = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.transform(onlyKnownKeys(new Set(Object.keys(shape)))).pipe(z.looseObject(shape));

/** GET /v1/conversations: the filters and the page. */
export const searchQuerySchema = withKnownKeys({ ...filterShape, ...pageShape });
/** The same filters without paging, as a legal hold's scope takes them. */
export const searchFilterQuerySchema = withKnownKeys(filterShape);
type SearchFilterQuery = z.infer<typeof searchFilterQuerySchema>;
type SearchQuery = z.infer<typeof searchQuerySchema>;

/** What a search cursor holds: the last row's start time as PostgreSQL prints it (or null) and its id. */
const positionSchema = z.strictObject({ startedAt: cursorTimestampSchema.nullable(), id: z.uuid() });

function tagsOf(tag: SearchQuery['tag']): ConversationSearchFilters['tags'] {
  const tags = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag];
  if (tags.length === 0) return undefined;
  return tags.map((entry) => {
    const split = entry.indexOf('=');
    return split === -1 ? { name: entry, value: null } : { name: entry.slice(0, split), value: entry.slice(split + 1) };
  });
}

/** The `attr.<key>` parameters, whose keys and values the query schema has already checked. */
function attributesOf(query: Record<string, unknown>): AttributeFilters | undefined {
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key.startsWith(ATTRIBUTE_PREFIX) && typeof value === 'string') entries.push([key.slice(ATTRIBUTE_PREFIX.length), value]);
  }
  return entries.length > 0 ? attributeFilters(entries) : undefined;
}

/** The validated filters as search filters, absent where not given. */
export function searchFiltersOf(query: SearchFilterQuery): ConversationSearchFilters {
  return {
    channel: query.channel,
    captureFlag: query.flag,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    agent: query.agent,
    queue: query.queue,
    phone: query.phone,
    tags: tagsOf(query.tag),
    emailFrom: query.emailFrom,
    emailTo: query.emailTo,
    cc: query.cc,
    subject: query.subject,
    q: query.q,
    attributes: attributesOf(query),
    lifecycleState: query.state,
  };
}

/** The validated query as search filters and the position to continue from. */
export function searchRequestOf(query: SearchQuery): { filters: ConversationSearchFilters; after?: SearchPosition; limit: number } {
  const after = query.cursor ? decodeCursor(query.cursor, positionSchema) : undefined;
  return { filters: searchFiltersOf(query), after, limit: query.limit };
}

/** The filters actually given, for the audit entry: what was searched for is what an auditor asks. */
export function auditedFilters(filters: ConversationSearchFilters): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}
