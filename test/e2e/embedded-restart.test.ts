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

/** `npm run token:create` against the same data folder: asks the running engine, or opens the database when none runs. */
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
    // The first start on a fresh data folder creates the first admin and prints its token once.
    const first = await startEngine(env);
    running.push(first);
    expect(first.output()).toContain(`Temporal UI:  http://127.0.0.1:${uiPort}`);
    expect(first.output()).toContain('First start: created the user "admin"');
    const firstToken = /^(rk_[A-Za-z0-9_-]{43})$/m.exec(first.output())?.[1];
    expect(firstToken, first.output()).toBeDefined();
    const tokenFile = path.join(dataDir, 'first-admin-token');
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(tokenFile, 'utf8')).toContain(firstToken);
    const authorization = `Bearer ${firstToken}`;
    const headers = { 'content-type': 'application/json', authorization };
    expect((await fetch(`${api}/v1/me`)).status).toBe(401);
    const me = (await (await fetch(`${api}/v1/me`, { headers: { authorization } })).json()) as any;
    expect(me).toMatchObject({ username: 'admin', roles: ['admin'] });

    // While the engine holds the embedded database, the command asks the engine for the token.
    const whileRunning = await createToken(env);
    expect(whileRunning.code, whileRunning.output).toBe(0);
    expect(whileRunning.output).toContain('Created user e2e-admin');
    expect((await fetch(`${api}/v1/me`, { headers: { authorization: `Bearer ${whileRunning.token}` } })).status).toBe(200);

    // Once the first admin makes another token, the first one no longer lies on disk.
    const another = await fetch(`${api}/v1/users/${me.userId}/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'laptop' }) });
    expect(another.status).toBe(201);
    expect(fs.existsSync(tokenFile)).toBe(false);

    const record = contactRecord();
    const posted = (await (await fetch(`${api}/v1/contact-records`, { method: 'POST', headers, body: JSON.stringify(record) })).json()) as any;
    const conversationId = posted.results[0].conversationId as string;
    expect(posted.results[0].status).toBe('created');
    // The quick start's second curl: read it back while the engine runs.
    const readWhileRunning = await fetch(`${api}/v1/conversations/${conversationId}`, { headers: { authorization } });
    expect(readWhileRunning.status).toBe(200);
    expect(((await readWhileRunning.json()) as any).legs[0].contactId).toBe(record.ContactId);

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
    expect(second.output()).not.toContain('First start');
    expect(second.output()).not.toContain('First token');
    const read = await fetch(`${api}/v1/conversations/${conversationId}`, { headers: { authorization } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as any).legs[0].contactId).toBe(record.ContactId);
    expect(await runIdOf()).toEqual(before);

    // The same running workflow still takes updates after the restart.
    const replay = (await (await fetch(`${api}/v1/contact-records`, { method: 'POST', headers, body: JSON.stringify(record) })).json()) as any;
    expect(replay.results[0].status).toBe('duplicate');
  }, 240_000);
});
