/**
 * Retention decisions, pure: which delete task applies to a conversation, when it falls due, and what
 * protects it. Precedence: legal hold over protection over delete task.
 */
export interface DeleteTaskRule {
  id: string;
  name: string;
  enabled: boolean;
  retentionSeconds: number;
  selection: {
    channel?: string | null;
    queue?: string | null;
    /** A metadata key/value, e.g. a line of business set by the contact center. */
    attribute?: { key: string; value: string } | null;
    untaggedOnly?: boolean;
    tag?: { name: string; value?: string | null } | null;
  };
}

export interface RetentionSubject {
  channel: string;
  queue: string | null;
  attributes: Readonly<Record<string, string>>;
  /** When retention starts counting: the conversation's start (or capture when the start is unknown). */
  startedAt: Date;
  tags: readonly { name: string; value: string | null }[];
  /** MiFID protection end, already the greatest ever granted. */
  protectedUntil: Date | null;
  activeHolds: number;
}

export type RetentionPlan =
  | { status: 'held'; holds: number; protectedUntil: Date | null }
  | { status: 'keep'; reason: 'no-delete-task'; protectedUntil: Date | null }
  | { status: 'due'; deleteAt: Date; taskId: string; taskName: string; protectedUntil: Date | null; protectionDelays: boolean };

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function taskSelects(task: DeleteTaskRule, subject: RetentionSubject): boolean {
  if (!task.enabled) return false;
  const { channel, queue, attribute, untaggedOnly, tag } = task.selection;
  if (channel && channel !== subject.channel) return false;
  if (queue && queue !== subject.queue) return false;
  if (attribute && subject.attributes[attribute.key] !== attribute.value) return false;
  if (untaggedOnly && subject.tags.length > 0) return false;
  if (tag && !subject.tags.some((t) => t.name === tag.name && (tag.value === undefined || tag.value === null || t.value === tag.value))) {
    return false;
  }
  return true;
}

/** The end of a MiFID protection granted by a tag applied to a conversation that started at `startedAt`. */
export function protectionEnd(startedAt: Date, years: number): Date {
  return new Date(startedAt.getTime() + years * YEAR_MS);
}

/** Only ever later: a protection is extended, never shortened. */
export function laterOf(current: Date | null, candidate: Date | null): Date | null {
  if (!candidate) return current;
  if (!current) return candidate;
  return candidate > current ? candidate : current;
}

export function planRetention(subject: RetentionSubject, tasks: readonly DeleteTaskRule[]): RetentionPlan {
  if (subject.activeHolds > 0) return { status: 'held', holds: subject.activeHolds, protectedUntil: subject.protectedUntil };
  let earliest: { at: Date; task: DeleteTaskRule } | undefined;
  for (const task of tasks) {
    if (!taskSelects(task, subject)) continue;
    const at = new Date(subject.startedAt.getTime() + task.retentionSeconds * 1000);
    if (!earliest || at < earliest.at) earliest = { at, task };
  }
  if (!earliest) return { status: 'keep', reason: 'no-delete-task', protectedUntil: subject.protectedUntil };
  const protectionDelays = subject.protectedUntil !== null && subject.protectedUntil > earliest.at;
  return {
    status: 'due',
    deleteAt: protectionDelays ? subject.protectedUntil! : earliest.at,
    taskId: earliest.task.id,
    taskName: earliest.task.name,
    protectedUntil: subject.protectedUntil,
    protectionDelays,
  };
}
