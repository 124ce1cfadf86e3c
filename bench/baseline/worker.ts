/**
 * The baseline's own worker process: its own task queue and workflow bundle, nothing of src/ but the
 * same SDK. DATABASE_URL (a scratch database), TEMPORAL_ADDRESS and TASK_QUEUE come from bench/processes.ts.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { createBaselineActivities, createBaselineTable } from './activities.js';

const { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: address, TASK_QUEUE: taskQueue } = process.env;
if (!databaseUrl || !address || !taskQueue) throw new Error('DATABASE_URL, TEMPORAL_ADDRESS and TASK_QUEUE are required');
Runtime.install({ logger: new DefaultLogger('WARN') });
// The engine's worker shares one pool the same size (src/db/client.ts default).
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await createBaselineTable(pool);
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: createBaselineActivities(pool),
});
process.stdout.write(`${JSON.stringify({ msg: 'worker started', taskQueue })}\n`);
await worker.run();
await connection.close();
await pool.end();
