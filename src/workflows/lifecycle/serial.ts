import { condition } from '@temporalio/workflow';

/**
 * Runs workflow handlers one at a time. Handlers await activities; without this, two updates could
 * interleave and persist an older state after a newer one.
 */
export function createSerialRunner() {
  let busy = false;
  return async function serially<T>(work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };
}

export type SerialRunner = ReturnType<typeof createSerialRunner>;
