import { and, eq, sql, type SQL } from 'drizzle-orm';
import { auditedCall, type AuditContext } from '../audit/write/audited.js';
import type { Database, Executor } from '../db/client.js';
import { trainingAssignments, trainingPackVersions } from '../db/schema/index.js';
import type { PresentationFile } from '../domain/training-pack.js';
import { MediaIntegrityError, MediaNotFoundError } from '../media/media-errors.js';
import type { MediaStore } from '../media/media-store.js';
import type { FieldProblem } from '../lib/refusal.js';

/**
 * Presentation material of training packs: files in the content-addressed media store, named by their
 * digest. A pack version lists them by digest, name and type; it may only list files that are stored.
 */

export interface StoredMaterial {
  sha256: string;
  sizeBytes: number;
  fileName: string;
  mediaType: string;
  /** False when the same bytes were stored before. */
  written: boolean;
}

/** Stores one presentation file (TRAINING_MATERIAL_UPLOAD); the same bytes twice are stored once. */
export async function uploadTrainingMaterial(
  db: Database,
  media: MediaStore,
  file: { content: Uint8Array; fileName: string; mediaType: string },
  audit: AuditContext,
): Promise<StoredMaterial> {
  return auditedCall(
    db,
    { ...audit, activity: 'TRAINING_MATERIAL_UPLOAD', description: `Training material "${file.fileName}" stored`, details: { fileName: file.fileName, mediaType: file.mediaType } },
    async () => {
      const stored = await media.put(file.content);
      const value = { sha256: stored.sha256, sizeBytes: stored.sizeBytes, fileName: file.fileName, mediaType: file.mediaType, written: stored.written };
      return { value, details: { sha256: stored.sha256, sizeBytes: stored.sizeBytes, written: stored.written } };
    },
  );
}

/** Each listed file must be stored, with the size it is listed with. */
export async function presentationProblems(media: MediaStore, files: readonly PresentationFile[], prefix = 'definition.presentation'): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [index, file] of files.entries()) {
    try {
      const opened = await media.open(file.sha256);
      await opened.close();
      if (opened.sizeBytes !== file.sizeBytes) problems.push({ path: `${prefix}.${index}.sizeBytes`, message: `the stored file ${file.sha256} has ${opened.sizeBytes} bytes` });
    } catch (error) {
      if (!(error instanceof MediaNotFoundError) && !(error instanceof MediaIntegrityError)) throw error;
      problems.push({ path: `${prefix}.${index}.sha256`, message: `no stored training material ${file.sha256}: upload it first` });
    }
  }
  return problems;
}

const listsFile = (sha256: string): SQL => sql`${trainingPackVersions.definition} -> 'presentation' @> ${JSON.stringify([{ sha256 }])}::jsonb`;

/**
 * How a stored file is listed (name and type), for this viewer: any pack version's listing for a manager
 * (`everyListing`), otherwise only a listing in the version of one of the viewer's own assignments (not
 * cancelled). Undefined: the viewer may not fetch it (or nothing lists it).
 */
export async function materialListing(executor: Executor, sha256: string, viewer: { userId: string; everyListing: boolean }): Promise<PresentationFile | undefined> {
  const query = executor.select({ definition: trainingPackVersions.definition }).from(trainingPackVersions);
  const rows = viewer.everyListing
    ? await query.where(listsFile(sha256)).limit(1)
    : await query
        .innerJoin(trainingAssignments, and(eq(trainingAssignments.packId, trainingPackVersions.packId), eq(trainingAssignments.packVersion, trainingPackVersions.version)))
        .where(and(listsFile(sha256), eq(trainingAssignments.assigneeUserId, viewer.userId), sql`${trainingAssignments.status} <> 'cancelled'`))
        .limit(1);
  return rows[0]?.definition.presentation.find((file) => file.sha256 === sha256);
}
