import { Readable } from 'node:stream';
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { appendAudit, syncEntry, type AuditResult } from '../../audit/write/audit-writer.js';
import { MediaIntegrityError, MediaNotFoundError } from '../../media/media-errors.js';
import type { VerifiedMedia } from '../../media/media-store.js';
import { materialListing, uploadTrainingMaterial } from '../../training/training-material.js';
import { findTrainingPack, listTrainingPackVersions, listTrainingPacks, type TrainingPackRecord } from '../../training/training-pack-reads.js';
import { activateTrainingPack, addTrainingPackVersion, createTrainingPack, removeTrainingPack, updateTrainingPack, type TrainingPurpose } from '../../training/training-packs.js';
import { TRAINING_OVERSEERS } from '../../training/training-scope.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { downloadHeaders } from '../conversations/media/download-headers.js';
import { cursorTimestampSchema, decodeCursor, pageOf } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { asRefusalProblem } from '../refusal-problem.js';
import type * as routes from './routes.js';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

const cursorPosition = z.strictObject({ at: cursorTimestampSchema, id: z.uuid() });

export function packView({ pack, version, usedByAssignments }: TrainingPackRecord) {
  return {
    id: pack.id,
    name: pack.name,
    description: pack.description,
    purpose: pack.purpose as TrainingPurpose,
    state: pack.state as 'draft' | 'active' | 'retired',
    currentVersion: pack.currentVersion,
    assignOnAgentCreation: pack.assignOnAgentCreation,
    dueAfterSeconds: pack.dueAfterSeconds,
    reminderBeforeSeconds: pack.reminderBeforeSeconds,
    createdBy: pack.createdBy,
    createdAt: pack.createdAt.toISOString(),
    updatedAt: pack.updatedAt.toISOString(),
    retiredAt: pack.retiredAt?.toISOString() ?? null,
    usedByAssignments,
    definition: version.definition,
  };
}

export function trainingPackHandlers(deps: ApiDeps) {
  const create: Handler<typeof routes.createTrainingPackRoute> = async (c) => {
    const record = await asRefusalProblem(() => createTrainingPack(deps.db, deps.media, c.req.valid('json'), requestContext(c)));
    return c.json(packView(record), 201);
  };
  const list: Handler<typeof routes.listTrainingPacksRoute> = async (c) => {
    const { limit, cursor, state, purpose } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, cursorPosition);
    const rows = await listTrainingPacks(deps.db, { state, purpose, limit: limit + 1, after });
    const page = pageOf(rows, limit, (row) => ({ at: row.at, id: row.pack.id }));
    return c.json({ items: page.items.map(packView), nextCursor: page.nextCursor }, 200);
  };
  const get: Handler<typeof routes.getTrainingPackRoute> = async (c) => {
    const { packId } = c.req.valid('param');
    const record = await findTrainingPack(deps.db, packId);
    if (!record) throw new ProblemError(404, 'Training pack not found', { detail: `No training pack ${packId}` });
    const versions = await listTrainingPackVersions(deps.db, packId);
    return c.json({ ...packView(record), versions: versions.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })) }, 200);
  };
  const update: Handler<typeof routes.updateTrainingPackRoute> = async (c) => {
    const { packId } = c.req.valid('param');
    return c.json(packView(await asRefusalProblem(() => updateTrainingPack(deps.db, packId, c.req.valid('json'), requestContext(c)))), 200);
  };
  const addVersion: Handler<typeof routes.addTrainingPackVersionRoute> = async (c) => {
    const { packId } = c.req.valid('param');
    const { definition } = c.req.valid('json');
    return c.json(packView(await asRefusalProblem(() => addTrainingPackVersion(deps.db, deps.media, packId, definition, requestContext(c)))), 200);
  };
  const activate: Handler<typeof routes.activateTrainingPackRoute> = async (c) => {
    const { packId } = c.req.valid('param');
    return c.json(packView(await asRefusalProblem(() => activateTrainingPack(deps.db, packId, requestContext(c)))), 200);
  };
  const remove: Handler<typeof routes.removeTrainingPackRoute> = async (c) => {
    const { packId } = c.req.valid('param');
    return c.json({ removed: await asRefusalProblem(() => removeTrainingPack(deps.db, packId, requestContext(c))) }, 200);
  };

  const upload: Handler<typeof routes.uploadTrainingMaterialRoute> = async (c) => {
    const { fileName, mediaType } = c.req.valid('query');
    const content = new Uint8Array(await c.req.arrayBuffer());
    if (content.byteLength === 0) throw new ProblemError(422, 'Invalid request', { detail: 'The body is the file and may not be empty', errors: [{ pointer: '/', field: '(body)', message: 'empty file' }] });
    const type = mediaType ?? c.req.header('content-type')?.split(';')[0]?.trim() ?? 'application/octet-stream';
    const stored = await uploadTrainingMaterial(deps.db, deps.media, { content, fileName, mediaType: type }, requestContext(c));
    return c.json(stored, 201);
  };

  const download: Handler<typeof routes.getTrainingMaterialRoute> = async (c) => {
    const { sha256 } = c.req.valid('param');
    const principal = c.get('principal');
    const context = requestContext(c);
    const audit = (result: AuditResult, description: string, details: Record<string, unknown> = {}) =>
      appendAudit(deps.db, [syncEntry({ activity: 'ACCESS_MEDIA', result, actor: context.actor, description, details: { sha256, trainingMaterial: true, ...details }, correlationId: context.correlationId })]);
    const everyListing = principal.roles.some((role) => TRAINING_OVERSEERS.includes(role));
    const listing = await materialListing(deps.db, sha256, { userId: principal.userId, everyListing });
    if (!listing) {
      await audit('FAIL', `Training material ${sha256} requested: not found or not assigned`, { error: 'not found' });
      throw new ProblemError(404, 'Training material not found', { detail: `No training material ${sha256} in a pack assigned to you` });
    }
    let media: VerifiedMedia;
    try {
      media = await deps.media.open(sha256);
    } catch (error) {
      if (!(error instanceof MediaIntegrityError) && !(error instanceof MediaNotFoundError)) throw error;
      await audit('FAIL', `Training material ${sha256} failed its integrity check: not served`, { error: error.message });
      throw new ProblemError(500, 'Media integrity violation', { detail: error.message });
    }
    try {
      await audit('OK', `Training material ${sha256} accessed`, { fileName: listing.fileName });
    } catch (error) {
      await media.close();
      throw error;
    }
    const headers = downloadHeaders({ sha256, sizeBytes: media.sizeBytes, contentType: listing.mediaType, fileName: listing.fileName });
    return c.body(Readable.toWeb(media.stream()) as ReadableStream<Uint8Array>, 200, headers);
  };

  return { create, list, get, update, addVersion, activate, remove, upload, download };
}
