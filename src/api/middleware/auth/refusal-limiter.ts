import type { RefusalLimit } from '../../../config.js';

/**
 * Unauthenticated refusals are audited, and the audit chain can never be trimmed, so a flood of them must
 * not grow it without bound. Per source address and window: the first `auditedPerWindow` refusals are
 * audited one by one (the first of every burst is never lost); the rest are answered 429 and counted into
 * one summary entry per source and window.
 */

export const DEFAULT_REFUSAL_LIMIT: RefusalLimit = { auditedPerWindow: 20, windowMs: 60_000 };

export interface SuppressedRefusals {
  source: string;
  count: number;
  from: Date;
  to: Date;
  /** Refused routes with their counts, the most frequent first (at most MAX_ROUTES_KEPT). */
  routes: { route: string; count: number }[];
}

export type RefusalAdmission = { audit: true } | { audit: false; retryAfterSeconds: number };

interface SourceWindow {
  startedAt: number;
  audited: number;
  suppressed: number;
  lastAt: number;
  routes: Map<string, number>;
}

/** Bounds memory under a flood from many addresses; the oldest windows are summarised and dropped first. */
const MAX_SOURCES = 10_000;
const MAX_ROUTES_KEPT = 20;

export interface RefusalLimiter {
  admit(source: string, route: string): RefusalAdmission;
  /** Summarises every window that has ended (or all of them); called by the limiter's own timer too. */
  flush(all?: boolean): Promise<void>;
}

export function createRefusalLimiter(
  limit: RefusalLimit,
  report: (summary: SuppressedRefusals) => Promise<void>,
  now: () => number = Date.now,
): RefusalLimiter {
  const windows = new Map<string, SourceWindow>();
  const summarise = async (source: string, window: SourceWindow) => {
    windows.delete(source);
    if (window.suppressed === 0) return;
    const routes = [...window.routes].sort((a, b) => b[1] - a[1]).slice(0, MAX_ROUTES_KEPT).map(([route, count]) => ({ route, count }));
    await report({ source, count: window.suppressed, from: new Date(window.startedAt), to: new Date(window.lastAt), routes });
  };
  const flush = async (all = false) => {
    const ended = [...windows].filter(([, window]) => all || now() - window.startedAt >= limit.windowMs);
    for (const [source, window] of ended) await summarise(source, window);
  };
  const timer = setInterval(() => void flush().catch(() => undefined), limit.windowMs);
  timer.unref();

  return {
    admit(source, route) {
      const at = now();
      let window = windows.get(source);
      if (window && at - window.startedAt >= limit.windowMs) {
        void summarise(source, window).catch(() => undefined);
        window = undefined;
      }
      if (!window) {
        if (windows.size >= MAX_SOURCES) {
          const [oldest] = windows;
          if (oldest) void summarise(oldest[0], oldest[1]).catch(() => undefined);
        }
        window = { startedAt: at, audited: 0, suppressed: 0, lastAt: at, routes: new Map() };
        windows.set(source, window);
      }
      window.lastAt = at;
      if (window.audited < limit.auditedPerWindow) {
        window.audited += 1;
        return { audit: true };
      }
      window.suppressed += 1;
      if (window.routes.size < MAX_ROUTES_KEPT * 5 || window.routes.has(route)) window.routes.set(route, (window.routes.get(route) ?? 0) + 1);
      return { audit: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + limit.windowMs - at) / 1000)) };
    },
    flush,
  };
}
