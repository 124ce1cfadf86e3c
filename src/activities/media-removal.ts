import { settleMediaRemovals, type MediaRemovalSummary } from '../media/media-removal.js';
import { reconcileMediaLocks, type MediaLockSummary } from '../storage/media-locks.js';
import type { ActivityDeps } from './deps.js';

export function mediaRemovalActivities({ db, media }: ActivityDeps) {
  return {
    /** One page of the removals that disposals queued and no one finished (a crash after the disposal committed). */
    async sweepMediaRemovals(input: { limit: number }): Promise<MediaRemovalSummary> {
      return settleMediaRemovals(db, media, { limit: input.limit });
    },

    /** One keyset page of mirroring protection and legal holds onto the media store's Object Lock (a no-op without one). */
    async reconcileMediaLocks(input: { after: string | null; limit: number }): Promise<MediaLockSummary> {
      return reconcileMediaLocks(db, media, input);
    },
  };
}
