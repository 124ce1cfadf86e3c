import { and, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Actor } from '../audit/write/actor.js';
import { appendAudit, type AuditEntry } from '../audit/write/audit-writer.js';
import type { Transaction } from '../db/client.js';
import { conversationTags, conversations, tagDefinitions } from '../db/schema/index.js';
import { protectionEnd } from '../domain/retention.js';

export interface MirroredTag {
  segmentIndex: number;
  name: string;
  value: string | null;
  source: string;
  at: string;
}

export interface TagChange {
  change: 'added' | 'updated' | 'removed';
  tag: MirroredTag;
  previousValue?: string | null;
}

const ACTIVITY_OF: Record<TagChange['change'], string> = {
  added: 'CONVERSATION_EVENT_TAG_ADD',
  updated: 'CONVERSATION_EVENT_TAG_UPDATE',
  removed: 'CONVERSATION_EVENT_TAG_REMOVE',
};

const keyOf = (tag: { segmentIndex: number; name: string; source: string }) => `${tag.segmentIndex}\u0000${tag.name}\u0000${tag.source}`;

/**
 * Makes the stored tags of the given segments equal to `desired`, auditing each difference (the
 * asynchronous Conversation Explorer activities: request and completion, in this transaction) and
 * extending MiFID protection for protecting tags. Diff-based, so a retried activity changes nothing twice.
 */
export async function syncTags(
  tx: Transaction,
  input: {
    conversationId: string;
    segments: 'call-segments' | 'conversation';
    desired: readonly MirroredTag[];
    actorFor: (tag: MirroredTag) => Actor;
    correlationId: string;
  },
): Promise<TagChange[]> {
  const scope =
    input.segments === 'conversation'
      ? eq(conversationTags.segmentIndex, 0)
      : gt(conversationTags.segmentIndex, 0);
  const stored = await tx
    .select()
    .from(conversationTags)
    .where(and(eq(conversationTags.conversationId, input.conversationId), scope));
  const storedByKey = new Map(stored.map((row) => [keyOf(row), row]));
  const desiredByKey = new Map(input.desired.map((tag) => [keyOf(tag), tag]));
  const changes: TagChange[] = [];

  for (const [key, tag] of desiredByKey) {
    const existing = storedByKey.get(key);
    if (!existing) changes.push({ change: 'added', tag });
    else if (existing.value !== tag.value) changes.push({ change: 'updated', tag, previousValue: existing.value });
  }
  for (const [key, row] of storedByKey) {
    if (!desiredByKey.has(key)) {
      changes.push({
        change: 'removed',
        tag: { segmentIndex: row.segmentIndex, name: row.name, value: row.value, source: row.source, at: row.appliedAt.toISOString() },
      });
    }
  }
  if (changes.length === 0) return changes;

  const upserts = changes.filter((change) => change.change !== 'removed');
  if (upserts.length > 0) {
    await tx
      .insert(conversationTags)
      .values(upserts.map(({ tag }) => ({ conversationId: input.conversationId, ...tag, appliedAt: new Date(tag.at) })))
      .onConflictDoUpdate({
        target: [conversationTags.conversationId, conversationTags.segmentIndex, conversationTags.name, conversationTags.source],
        set: { value: sql`excluded.value`, appliedAt: sql`excluded.applied_at` },
      });
  }
  for (const { tag } of changes.filter((change) => change.change === 'removed')) {
    await tx
      .delete(conversationTags)
      .where(
        and(
          eq(conversationTags.conversationId, input.conversationId),
          eq(conversationTags.segmentIndex, tag.segmentIndex),
          eq(conversationTags.name, tag.name),
          eq(conversationTags.source, tag.source),
        ),
      );
  }

  const entries: AuditEntry[] = changes.flatMap(({ change, tag, previousValue }) => {
    const base = {
      activity: ACTIVITY_OF[change],
      actor: input.actorFor(tag),
      description: `Tag ${tag.name}${tag.value === null ? '' : `=${tag.value}`} ${change} on ${tag.segmentIndex === 0 ? 'the conversation' : `segment ${tag.segmentIndex}`} of conversation ${input.conversationId} (${tag.source})`,
      details: { tag: tag.name, value: tag.value, previousValue, source: tag.source, segmentIndex: tag.segmentIndex },
      correlationId: input.correlationId,
      conversationId: input.conversationId,
    };
    return [
      { ...base, phase: 'BEGIN' as const, result: null },
      { ...base, phase: 'END' as const, result: 'OK' as const },
    ];
  });
  await appendAudit(tx, entries);
  await extendProtectionFromTags(tx, input.conversationId);
  return changes;
}

/** A protecting tag grants protection from the conversation's start; it only ever moves later. */
export async function extendProtectionFromTags(tx: Transaction, conversationId: string): Promise<void> {
  const [row] = await tx
    .select({
      years: sql<number | null>`max(${tagDefinitions.protectionYears})`,
      startedAt: sql<Date | string | null>`min(coalesce(${conversations.startedAt}, ${conversations.createdAt}))`,
    })
    .from(conversationTags)
    .innerJoin(tagDefinitions, eq(tagDefinitions.name, conversationTags.name))
    .innerJoin(conversations, eq(conversations.id, conversationTags.conversationId))
    .where(and(eq(conversationTags.conversationId, conversationId), isNotNull(tagDefinitions.protectionYears)));
  if (!row?.years || !row.startedAt) return;
  const until = protectionEnd(new Date(row.startedAt), Number(row.years));
  await tx
    .update(conversations)
    .set({ protectedUntil: sql`greatest(${conversations.protectedUntil}, ${until.toISOString()}::timestamptz)` })
    .where(eq(conversations.id, conversationId));
}

export async function unknownTagNames(tx: Transaction, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const known = await tx.select({ name: tagDefinitions.name }).from(tagDefinitions).where(inArray(tagDefinitions.name, [...new Set(names)]));
  const knownNames = new Set(known.map((row) => row.name));
  return [...new Set(names)].filter((name) => !knownNames.has(name));
}
