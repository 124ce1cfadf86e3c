import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import { FailureType } from '../domain/failures.js';

const KNOWN = new Set<string>(Object.values(FailureType));

/** The engine failure type carried anywhere in a Temporal error's cause chain, if any. */
export function engineFailureOf(error: unknown): { type: FailureType; message: string } | undefined {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof ApplicationFailure && current.type && KNOWN.has(current.type)) {
      return { type: current.type as FailureType, message: current.message };
    }
    if (!(current instanceof Error) && !(current instanceof TemporalFailure)) break;
  }
  return undefined;
}
