import { settleMediaRemovals, type MediaRemovalSummary } from '../media/media-removal.js';
import type { ActivityDeps } from './deps.js';

export function mediaRemovalActivities({ db, media }: ActivityDeps) {
  return {
    /** One page of the removals that disposals queued and no one finished (a crash after the disposal committed). */
    async sweepMediaRemovals(input: { limit: number }): Promise<MediaRemovalSummary> {
      return settleMediaRemovals(db, media, { limit: input.limit });
    },
  };
}
