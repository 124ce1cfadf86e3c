import { z } from '@hono/zod-openapi';
import type { ConversationSearchFilters } from '../../../search/search-filters.js';
import type { SearchPosition } from '../../../search/conversation-search.js';
import { decodeCursor } from '../../pagination.js';
import { ProblemError } from '../../problem.js';
import { ATTRIBUTE_PREFIX, type searchQuerySchema } from './routes.js';

type SearchQuery = z.infer<typeof searchQuerySchema>;

const MAX_ATTRIBUTE_FILTERS = 20;
const attributeValue = z.string().max(1000);
const positionSchema = z.object({ startedAt: z.string().max(40).nullable(), id: z.uuid() });

function invalid(field: string, message: string): ProblemError {
  return new ProblemError(422, 'Invalid request', { detail: `${field}: ${message}`, errors: [{ pointer: `/${field}`, field, message }] });
}

function tagsOf(tag: SearchQuery['tag']): ConversationSearchFilters['tags'] {
  const tags = tag === undefined ? [] : Array.isArray(tag) ? tag : [tag];
  if (tags.length === 0) return undefined;
  return tags.map((entry) => {
    const split = entry.indexOf('=');
    return split === -1 ? { name: entry, value: null } : { name: entry.slice(0, split), value: entry.slice(split + 1) };
  });
}

function attributesOf(query: Record<string, unknown>): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX)) continue;
    const name = key.slice(ATTRIBUTE_PREFIX.length);
    const parsed = attributeValue.safeParse(value);
    if (name === '' || !parsed.success) throw invalid(key, 'give one attribute name and one value: attr.<key>=<value>');
    attributes[name] = parsed.data;
  }
  const count = Object.keys(attributes).length;
  if (count > MAX_ATTRIBUTE_FILTERS) throw invalid('attr', `at most ${MAX_ATTRIBUTE_FILTERS} attribute filters`);
  return count > 0 ? attributes : undefined;
}

/** The validated query as search filters (absent when not given) and the position to continue from. */
export function searchRequestOf(query: SearchQuery): { filters: ConversationSearchFilters; after?: SearchPosition; limit: number } {
  const filters: ConversationSearchFilters = {
    channel: query.channel,
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
  const after = query.cursor ? decodeCursor(query.cursor, positionSchema) : undefined;
  return { filters, after, limit: query.limit };
}

/** The filters actually given, for the audit entry: what was searched for is what an auditor asks. */
export function auditedFilters(filters: ConversationSearchFilters): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}
