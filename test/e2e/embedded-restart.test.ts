import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** Runs the README's start command's program with a private data folder and ports; resolves once it is serving. */
async function startEngine(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Recordkeeper is running.')) {
    if (child.exitCode !== null) throw new Error(`engine exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`engine did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, output: () => output };
}

/** `npm run token:create` against the same data folder; the embedded database must not be open elsewhere. */
function createToken(env: Record<string, string>): Promise<{ code: number | null; output: string; token: string | undefined }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token-create.ts', '--username', 'e2e-admin', '--full-name', 'E2E Admin', '--role', 'admin'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, token: /^(rk_[A-Za-z0-9_-]{43})$/m.exec(output)?.[1] })));
}

async function stopEngine(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGINT');
  await exited;
}

const running: Started[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-e2e-'));
afterAll(async () => {
  for (const started of running) await stopEngine(started);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on embedded defaults', () => {
  it('keeps the conversation and its running workflow across a restart', async () => {
    const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_DEV_UI_PORT: String(uiPort),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
      LOG_LEVEL: 'warn',
    };
    const api = `http://127.0.0.1:${apiPort}`;
    // The bootstrap command migrates the fresh data folder and prints the first admin token once.
    const bootstrap = await createToken(env);
    expect(bootstrap.code, bootstrap.output).toBe(0);
    const authorization = `Bearer ${bootstrap.token}`;
    const headers = { 'content-type': 'application/json', authorization };

    const first = await startEngine(env);
    running.push(first);
    expect(first.output()).toContain(`Temporal UI:  http://127.0.0.1:${uiPort}`);
    expect(first.output()).toContain('npm run token:create');
    expect((await fetch(`${api}/v1/me`)).status).toBe(401);
    // While the engine holds the embedded database, the command refuses rather than open it twice.
    const whileRunning = await createToken(env);
    expect(whileRunning.code).toBe(3);
    expect(whileRunning.output).toContain('stop the engine');
    const record = contactRecord();
    const posted = (await (await fetch(`${api}/v1/contact-records`, { method: 'POST', headers, body: JSON.stringify(record) })).json()) as any;
    const conversationId = posted.results[0].conversationId as string;
    expect(posted.results[0].status).toBe('created');

    const runIdOf = async () => {
      const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
      try {
        const description = await new Client({ connection }).workflow.getHandle(conversationWorkflowId(conversationId)).describe();
        return { runId: description.runId, status: description.status.name };
      } finally {
        await connection.close();
      }
    };
    const before = await runIdOf();
    expect(before.status).toBe('RUNNING');
    await stopEngine(first);

    const second = await startEngine(env);
    running.push(second);
    const read = await fetch(`${api}/v1/conversations/${conversationId}`, { headers: { authorization } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as any).legs[0].contactId).toBe(record.ContactId);
    expect(await runIdOf()).toEqual(before);

    // The same running workflow still takes updates after the restart.
    const replay = (await (await fetch(`${api}/v1/contact-records`, { method: 'POST', headers, body: JSON.stringify(record) })).json()) as any;
    expect(replay.results[0].status).toBe('duplicate');
  }, 240_000);
});
