import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
/** Linux reports process CPU in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

export interface WorkerChild {
  pid: number;
  /** Lines the worker wrote (JSON logs, SDK warnings), for the slow-task count. */
  output(): string;
  /** SIGKILL: a crash, no draining. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the worker to drain. */
  stop(): Promise<void>;
}

/** A worker entry point (src/worker.ts or bench/baseline/worker.ts) in a process of its own, started and ready. */
export async function startWorkerChild(entry: string, env: Record<string, string>, timeoutMs = 120_000): Promise<WorkerChild> {
  // BENCH_CPU_PROFILE_DIR=<dir>: each worker writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave a worker behind, whichever way the benchmark ends.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.removeListener('exit', killChild));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    pid: child.pid!,
    output: () => output,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state: utime is the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Resident set size of a process in bytes. */
export function rssBytesOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** The Temporal dev server this process started: the child whose command line names its port. */
export function devServerPid(address: string): number | undefined {
  const port = address.split(':').pop();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const portAt = cmdline.indexOf('--port');
      if (cmdline.includes('start-dev') && portAt >= 0 && cmdline[portAt + 1] === port) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** CPU seconds of every PostgreSQL backend connected to one database (the server runs on this machine). */
export async function postgresBackendsCpu(admin: pg.Pool, database: string): Promise<Map<number, number>> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
  return new Map(rows.map((row) => [row.pid, cpuSecondsOf(row.pid)]));
}

/** CPU used between two samples of the same backends; backends that appeared in between count from zero. */
export function backendsCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

export function machine(): { cores: number; memory: string; cpu: string; node: string; load: string } {
  return {
    cores: os.cpus().length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    load: os.loadavg().map((value) => value.toFixed(2)).join(' '),
  };
}

export function packageVersion(name: string): string {
  const file = path.join(repositoryRoot, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}
