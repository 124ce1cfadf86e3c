import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { workflowActor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { queryRows } from '../db/query-rows.js';
import { archiveCopies, archiveRuns, archiveTasks, auditChainHead, contactRecords, conversationSegments, conversationTags, conversations } from '../db/schema/index.js';
import { tagDirectory } from '../domain/archive-paths.js';
import { FailureType } from '../domain/failures.js';
import { sha256Hex } from '../lib/digest.js';
import { packageObjectsOf } from '../storage/package-objects.js';
import type { ActivityDeps } from './deps.js';
import { NIL_UUID } from '../lib/ids.js';

export interface ArchiveStepResult {
  conversationId: string;
  /** failed: the package could not be written (see reason); the next run tries again. */
  status: 'archived' | 'already-archived' | 'skipped' | 'failed';
  path: string | null;
  manifestSha256: string | null;
  reason?: string;
}

export interface PackageVerification {
  conversationId: string;
  path: string;
  problem: string;
}

/** Resolves a destination inside the archive root, or refuses: an archive never writes elsewhere. */
export function resolveInside(root: string, ...segments: string[]): string {
  const resolved = path.resolve(root, ...segments);
  if (resolved !== root && !resolved.startsWith(`${root}${path.sep}`)) {
    throw ApplicationFailure.nonRetryable(`${resolved} is outside the archive root ${root}`, FailureType.InvalidInput);
  }
  return resolved;
}

async function verifyPackage(directory: string, manifestSha256: string): Promise<string | null> {
  let manifestText: string;
  try {
    manifestText = await fs.readFile(path.join(directory, 'manifest.json'), 'utf8');
  } catch {
    return 'manifest missing';
  }
  if (sha256Hex(manifestText) !== manifestSha256) return 'manifest altered';
  const manifest = JSON.parse(manifestText) as { files: { path: string; sha256: string }[] };
  for (const file of manifest.files) {
    try {
      if (sha256Hex(await fs.readFile(path.join(directory, file.path))) !== file.sha256) return `${file.path} altered`;
    } catch {
      return `${file.path} missing`;
    }
  }
  return null;
}

/**
 * Whether the directory holds a package this task wrote for this conversation, told by its manifest. Only
 * such a package (written, but not recorded, by an attempt that crashed in between) may be replaced.
 */
async function isOwnPackage(directory: string, owner: { taskId: string; conversationId: string }): Promise<boolean> {
  try {
    const manifest = JSON.parse(await fs.readFile(path.join(directory, 'manifest.json'), 'utf8')) as { taskId?: unknown; conversationId?: unknown };
    return manifest.taskId === owner.taskId && manifest.conversationId === owner.conversationId;
  } catch {
    return false;
  }
}

type PlaceResult = { placed: true } | { placed: false; reason: string };

/**
 * Moves a staged package to its final name. rename(2) never replaces a non-empty directory, so whatever
 * is already there (another task's package, someone's files) stays untouched unless it is this task's
 * own unrecorded package, which is moved aside first and removed only once the new one is in place.
 */
async function placePackage(staging: string, directory: string, owner: { taskId: string; conversationId: string }): Promise<PlaceResult> {
  try {
    await fs.rename(staging, directory);
    return { placed: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR') throw error;
  }
  if (!(await isOwnPackage(directory, owner))) {
    await fs.rm(staging, { recursive: true, force: true });
    return { placed: false, reason: `${directory} already holds files this task did not write; they were left as they are` };
  }
  const aside = path.join(path.dirname(directory), `.replaced-${randomUUID()}`);
  await fs.rename(directory, aside);
  await fs.rename(staging, directory);
  await fs.rm(aside, { recursive: true, force: true });
  return { placed: true };
}

export function archiveActivities({ db, archiveRoot, media }: ActivityDeps) {
  // With media in an S3 bucket, packages are objects there too, under Object Lock (src/storage/package-objects.ts).
  const packageObjects = packageObjectsOf(media);
  const root = () => {
    if (!archiveRoot) throw ApplicationFailure.nonRetryable('no archive root is configured', FailureType.InvalidInput);
    return path.resolve(archiveRoot);
  };
  const loadTask = async (taskId: string) => {
    const [task] = await db.select().from(archiveTasks).where(and(eq(archiveTasks.id, taskId), isNull(archiveTasks.removedAt)));
    if (!task) throw ApplicationFailure.nonRetryable(`archive task ${taskId} does not exist`, FailureType.NotFound);
    return task;
  };

  return {
    /** The next page of conversations the task selects and has not archived yet, by id. */
    async selectArchiveCandidates(input: { taskId: string; afterId: string | null; limit: number }): Promise<string[]> {
      const task = await loadTask(input.taskId);
      const { tag, channel, minAgeSeconds } = task.selection;
      const rows = await queryRows<{ id: string }>(
        db,
        sql`select c.id from conversations c
            where c.deleted_at is null
              and c.id > ${input.afterId ?? NIL_UUID}::uuid
              and exists (select 1 from conversation_tags t where t.conversation_id = c.id and t.name = ${tag.name}
                          and (${tag.value ?? null}::text is null or t.value = ${tag.value ?? null}::text))
              and (${channel ?? null}::text is null or c.channel = ${channel ?? null}::text)
              and (${minAgeSeconds ?? null}::int is null or coalesce(c.started_at, c.created_at) <= now() - make_interval(secs => ${minAgeSeconds ?? 0}))
              and not exists (select 1 from archive_copies a where a.task_id = ${input.taskId}::uuid and a.conversation_id = c.id)
            order by c.id limit ${input.limit}`,
      );
      return rows.map((row) => row.id);
    },

    /**
     * Writes one self-describing package (metadata, segments, tags, every delivered record, a manifest with
     * the SHA-256 of each file and the audit-chain head) into the task's per-tag directory, atomically, once.
     */
    async writeArchivePackage(input: { taskId: string; conversationId: string; workflow: { workflowId: string; runId: string } }): Promise<ArchiveStepResult> {
      const task = await loadTask(input.taskId);
      const [existing] = await db.select().from(archiveCopies).where(and(eq(archiveCopies.taskId, input.taskId), eq(archiveCopies.conversationId, input.conversationId)));
      if (existing) return { conversationId: input.conversationId, status: 'already-archived', path: existing.path, manifestSha256: existing.manifestSha256 };
      const [conversation] = await db.select().from(conversations).where(eq(conversations.id, input.conversationId));
      if (!conversation || conversation.deletedAt) return { conversationId: input.conversationId, status: 'skipped', path: null, manifestSha256: null, reason: 'deleted' };

      const tags = await db.select().from(conversationTags).where(eq(conversationTags.conversationId, input.conversationId));
      const selected = tags.find((tag) => tag.name === task.selection.tag.name) ?? null;
      const destination = resolveInside(root(), task.destination);
      let directory = resolveInside(destination, ...tagDirectory(selected ? { name: selected.name, value: task.selection.tag.value ?? selected.value } : null), input.conversationId);

      const [head] = await db.select().from(auditChainHead);
      const files: Record<string, string> = {
        'conversation.json': JSON.stringify(conversation, null, 2),
        'segments.json': JSON.stringify(await db.select().from(conversationSegments).where(eq(conversationSegments.conversationId, input.conversationId)).orderBy(asc(conversationSegments.segmentIndex)), null, 2),
        'tags.json': JSON.stringify(tags, null, 2),
      };
      for (const record of await db.select().from(contactRecords).where(eq(contactRecords.conversationId, input.conversationId))) {
        files[`contact-records/${encodeURIComponent(record.contactId)}.json`] = JSON.stringify(record.record, null, 2);
      }
      const manifest = {
        conversationId: input.conversationId,
        taskId: input.taskId,
        createdAt: new Date().toISOString(),
        auditChain: { chainSeq: head?.chainSeq.toString() ?? '0', hash: head?.hash ?? '' },
        files: Object.entries(files).map(([file, content]) => ({ path: file, sha256: sha256Hex(content), bytes: Buffer.byteLength(content) })),
      };
      const manifestText = JSON.stringify(manifest, null, 2);
      const manifestSha256 = sha256Hex(manifestText);

      const owner = { taskId: input.taskId, conversationId: input.conversationId };
      let placed: PlaceResult;
      if (packageObjects) {
        // The same confined layout as on disk, as a key prefix; each file retained until the protection ends.
        const keyPrefix = path.relative(root(), directory).split(path.sep).join('/');
        placed = await packageObjects.write(keyPrefix, files, manifestText, owner, conversation.protectedUntil);
        directory = packageObjects.locationOf(keyPrefix);
      } else {
        // Staged beside the target and renamed, so a crash never leaves half a package under the real name.
        const staging = path.join(path.dirname(directory), `.staging-${randomUUID()}`);
        await fs.mkdir(staging, { recursive: true });
        for (const [file, content] of Object.entries(files)) {
          await fs.mkdir(path.dirname(path.join(staging, file)), { recursive: true });
          await fs.writeFile(path.join(staging, file), content);
        }
        await fs.writeFile(path.join(staging, 'manifest.json'), manifestText);
        placed = await placePackage(staging, directory, owner);
      }

      const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
      if (!placed.placed) {
        await appendAudit(db, [
          syncEntry({
            activity: 'CONVERSATION_ARCHIVED',
            result: 'FAIL',
            actor,
            description: `Conversation ${input.conversationId} not archived by task "${task.name}": ${placed.reason}`,
            details: { taskId: input.taskId, path: directory, reason: placed.reason },
            correlationId: `archive-${input.taskId}`,
            conversationId: input.conversationId,
          }),
        ]);
        return { conversationId: input.conversationId, status: 'failed', path: directory, manifestSha256: null, reason: placed.reason };
      }
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(archiveCopies)
          .values({ id: randomUUID(), taskId: input.taskId, conversationId: input.conversationId, path: directory, manifestSha256, auditChainSeq: head?.chainSeq ?? 0n })
          .onConflictDoNothing()
          .returning({ id: archiveCopies.id });
        if (inserted.length === 0) return { conversationId: input.conversationId, status: 'already-archived' as const, path: directory, manifestSha256 };
        await appendAudit(tx, [
          syncEntry({
            activity: 'CONVERSATION_ARCHIVED',
            result: 'OK',
            actor,
            description: `Conversation ${input.conversationId} archived by task "${task.name}" to ${directory}`,
            details: { taskId: input.taskId, path: directory, manifestSha256, files: manifest.files.length },
            correlationId: `archive-${input.taskId}`,
            conversationId: input.conversationId,
          }),
        ]);
        return { conversationId: input.conversationId, status: 'archived' as const, path: directory, manifestSha256 };
      });
    },

    /** Re-hashes every package the task wrote; a missing or altered file is reported, never repaired silently. */
    async verifyArchivePackages(input: { taskId: string }): Promise<{ checked: number; failures: PackageVerification[] }> {
      const failures: PackageVerification[] = [];
      let checked = 0;
      let after = NIL_UUID;
      for (;;) {
        const copies = await db
          .select()
          .from(archiveCopies)
          .where(and(eq(archiveCopies.taskId, input.taskId), gt(archiveCopies.id, after)))
          .orderBy(asc(archiveCopies.id))
          .limit(500);
        if (copies.length === 0) return { checked, failures };
        for (const copy of copies) {
          checked += 1;
          const problem = copy.path.startsWith('s3://') && packageObjects ? await packageObjects.verify(copy.path, copy.manifestSha256) : await verifyPackage(copy.path, copy.manifestSha256);
          if (problem) failures.push({ conversationId: copy.conversationId, path: copy.path, problem });
        }
        after = copies[copies.length - 1]!.id;
      }
    },

    async recordArchiveRun(input: {
      runId: string;
      taskId: string;
      counts: { selected: number; done: number; skipped: number; failed: number };
      report: Record<string, unknown>;
      finished: boolean;
    }): Promise<void> {
      await db
        .insert(archiveRuns)
        .values({ id: input.runId, taskId: input.taskId, ...input.counts, report: input.report, finishedAt: input.finished ? new Date() : null })
        .onConflictDoUpdate({
          target: archiveRuns.id,
          set: { ...input.counts, report: input.report, finishedAt: input.finished ? sql`now()` : null },
        });
    },
  };
}
