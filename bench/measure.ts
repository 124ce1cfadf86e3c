import fs from 'node:fs';
import path from 'node:path';

/** Latency percentiles of `iterations` sequential runs, in milliseconds. */
export async function latency(iterations: number, run: (iteration: number) => Promise<unknown>): Promise<{ p50: number; p95: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

export function percentiles(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export interface BenchRow {
  benchmark: string;
  measure: string;
  value: string;
  note?: string;
  /** The same figures as numbers, for the JSON output. */
  data?: Record<string, unknown>;
}

export function printTable(rows: readonly BenchRow[]): void {
  const headers = ['benchmark', 'measure', 'value', 'note'] as const;
  const widths = headers.map((header) => Math.max(header.length, ...rows.map((row) => (row[header] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`${line(headers)}\n${line(widths.map((width) => '-'.repeat(width)))}\n`);
  for (const row of rows) process.stdout.write(`${line(headers.map((header) => row[header] ?? ''))}\n`);
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** Writes the rows, with the machine they ran on, as JSON (the table is for people, this for tools). */
export function writeJson(file: string, rows: readonly BenchRow[], context: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...context, rows }, null, 2)}\n`);
}
