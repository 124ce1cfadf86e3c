import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { contactRecords, conversationEmails, conversationMedia, conversationMessages, conversationSearchDocuments, conversationSegments, conversations } from '../db/schema/index.js';

/**
 * The Conversation Explorer's `q` searches names, addresses and multilingual bodies: the 'simple'
 * configuration lower-cases words without stemming or stop words, so no language is favoured and an
 * address or a name matches as written.
 */
export const SEARCH_CONFIGURATION = 'simple';

/**
 * A tsvector holds at most 1 MiB; an import must never fail because a body is long, so only the first
 * part of each long text is indexed (the full text stays stored and readable).
 */
const MAX_INDEXED_BODY_CHARS = 100_000;
const MAX_INDEXED_METADATA_CHARS = 20_000;

/**
 * Rebuilds a conversation's full-text document from what is stored about it: email subject (weight A),
 * parties, call metadata, transfer targets and attachment file names (B), contact attributes (C), email body and chat messages (D). Call it in
 * the transaction that changed any of these. A deleted conversation keeps no document.
 */
export async function refreshSearchDocument(tx: Executor, conversationId: string): Promise<void> {
  const c = conversations;
  const e = conversationEmails;
  const m = conversationMessages;
  const s = conversationSegments;
  const vector = (text: ReturnType<typeof sql>, weight: 'A' | 'B' | 'C' | 'D') =>
    sql`setweight(to_tsvector(${sql.raw(`'${SEARCH_CONFIGURATION}'`)}, ${text}), ${sql.raw(`'${weight}'`)})`;

  const subject = sql`coalesce(${e.subject}, '')`;
  const parties = sql`left(concat_ws(' ',
      ${e.fromAddress}, array_to_string(${e.toAddresses}, ' '), array_to_string(${e.ccAddresses}, ' '),
      array_to_string(${e.bccAddresses}, ' '), array_to_string(${e.displayNames}, ' '),
      ${c.agentUsername}, ${c.queueName}, ${c.customerAddress}, ${c.systemAddress},
      (select string_agg(distinct party, ' ') from ${s}, unnest(array[${s.partyA}, ${s.partyB}]) as party where ${s.conversationId} = ${c.id}),
      (select string_agg(distinct ${contactRecords.record} -> 'TransferredToEndpoint' ->> 'Address', ' ') from ${contactRecords} where ${contactRecords.conversationId} = ${c.id}),
      (select string_agg(distinct ${conversationMedia.fileName}, ' ') from ${conversationMedia} where ${conversationMedia.conversationId} = ${c.id} and ${conversationMedia.kind} = 'attachment')
    ), ${MAX_INDEXED_METADATA_CHARS})`;
  const attributes = sql`left(coalesce((select string_agg(key || ' ' || value, ' ') from jsonb_each_text(${c.attributes})), ''), ${MAX_INDEXED_METADATA_CHARS})`;
  const body = sql`left(coalesce(${e.bodyText}, ''), ${MAX_INDEXED_BODY_CHARS})`;
  const chat = sql`left(coalesce((select string_agg(concat_ws(' ', ${m.displayName}, ${m.body}), ' ' order by ${m.seq}) from ${m} where ${m.conversationId} = ${c.id}), ''), ${MAX_INDEXED_BODY_CHARS})`;

  await tx.execute(sql`
    insert into ${conversationSearchDocuments} (conversation_id, document, updated_at)
    select ${c.id},
      ${vector(subject, 'A')} || ${vector(parties, 'B')} || ${vector(attributes, 'C')} || ${vector(body, 'D')} || ${vector(chat, 'D')},
      now()
    from ${c} left join ${e} on ${e.conversationId} = ${c.id}
    where ${c.id} = ${conversationId} and ${c.deletedAt} is null
    on conflict (conversation_id) do update set document = excluded.document, updated_at = excluded.updated_at`);
}
