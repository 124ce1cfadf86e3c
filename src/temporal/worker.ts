import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { WORKER_DEFAULTS, type WorkerTuning } from '../config.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface LifecycleWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles workflowsPath at start. */
  workflowBundle?: WorkflowBundle;
  /** Cache and slots (WORKER_MAX_* variables); absent: the measured defaults, which bound the worker's memory. */
  tuning?: WorkerTuning;
  /** Activity interceptors (the fault suite's kill-after-commit point, src/lib/fault-points.ts). */
  activityInterceptors?: ActivityInterceptorsFactory[];
}

export async function createLifecycleWorker(options: LifecycleWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.deps),
    ...(options.tuning ?? WORKER_DEFAULTS),
    ...(options.activityInterceptors?.length ? { interceptors: { activity: options.activityInterceptors } } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
  });
  return { worker, connection };
}
