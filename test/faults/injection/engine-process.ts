import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface EngineProcess {
  /** How many times this process was started (the first start included). */
  starts(): number;
  /** Exits nobody asked for (not kill() or stop()): a fault point, a crash on a lost dependency. */
  unplannedExits(): string[];
  /** SIGKILL the running process (a crash: no draining); the supervisor starts a new one. */
  kill(): Promise<void>;
  /** Resolves once a started process has logged its ready line. */
  ready(): Promise<void>;
  /** Lines of every run containing `pattern`, one of the markers given at the start. */
  linesMatching(pattern: string): string[];
  /** The last lines this process (all its runs) wrote, for a failure's report. */
  recentOutput(): string;
  /** Stops supervising and ends the process (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/**
 * A production entry point (src/worker.ts, src/server.ts) as a supervised child process: whenever it ends,
 * killed by the suite or by the worker's own fault point, a new one is started, as systemd or Kubernetes would.
 */
export function superviseEngineProcess(
  entry: 'src/worker.ts' | 'src/server.ts',
  env: Record<string, string>,
  log: (line: string) => void,
  /** Output lines containing one of these are kept for linesMatching. */
  markers: readonly string[] = [],
  /** Variables for the n-th start (1-based) on top of `env`, e.g. to run later starts without a fault point. */
  envForStart: (start: number) => Record<string, string> = () => ({}),
): EngineProcess {
  const readyLine = entry === 'src/worker.ts' ? '"worker started"' : '"api started"';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let started = 0;
  let stopping = false;
  let killing = false;
  const unplanned: string[] = [];
  let recent = '';
  let readyNow: Promise<void> = Promise.resolve();
  const marked: string[] = [];

  const start = () => {
    started += 1;
    const current = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: repositoryRoot, env: { ...process.env, ...env, ...envForStart(started) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = current;
    exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
    let output = '';
    readyNow = new Promise<void>((resolve) => {
      const watch = (chunk: Buffer) => {
        const text = chunk.toString();
        recent = (recent + text).slice(-20_000);
        if (!output.includes(readyLine)) output += text;
        if (output.includes(readyLine)) resolve();
        for (const line of text.split('\n')) if (markers.some((marker) => line.includes(marker))) marked.push(line);
      };
      current.stdout!.on('data', watch);
      current.stderr!.on('data', watch);
    });
    current.once('exit', (code, signal) => {
      if (stopping) return;
      if (!killing) {
        unplanned.push(`${signal ?? code}${output.includes(readyLine) ? '' : ' before it was ready'}`);
        if (!output.includes(readyLine)) log(`${entry} ended (${signal ?? code}) before it was ready: ${output.trim().split('\n').slice(-3).join(" ").slice(0, 300)}`);
      }
      killing = false;
      // A short pause, as a process manager's restart delay; also keeps a crash loop from spinning.
      setTimeout(() => !stopping && start(), 300);
    });
  };
  const killChild = () => child?.kill('SIGKILL');
  process.once('exit', killChild);
  start();

  return {
    starts: () => started,
    unplannedExits: () => [...unplanned],
    recentOutput: () => recent,
    async kill() {
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      killing = true;
      current.kill('SIGKILL');
      await exited;
    },
    async ready() {
      // A process may die (fault point) and be replaced while we wait: wait for the newest one.
      for (;;) {
        const waitingFor = child;
        await readyNow;
        if (child === waitingFor && child?.exitCode === null && child.signalCode === null) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    linesMatching(pattern) {
      return marked.filter((line) => line.includes(pattern));
    },
    async stop() {
      stopping = true;
      process.removeListener('exit', killChild);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
