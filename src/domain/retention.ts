/**
 * Retention policy, pure: which delete tasks select a conversation, their windows, MiFID protection ends.
 * The decision itself (kept or deleted, and why) is `decideRetention` in ./retention-decision.ts.
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

/** What a delete task's selection looks at. */
export interface SelectionSubject {
  channel: string;
  queue: string | null;
  attributes: Readonly<Record<string, string>>;
  tags: readonly { name: string; value: string | null }[];
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function taskSelects(task: DeleteTaskRule, subject: SelectionSubject): boolean {
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

/** When a task's retention window, counted from the conversation's start, ends. */
export function windowEnd(task: DeleteTaskRule, startedAt: Date): Date {
  return new Date(startedAt.getTime() + task.retentionSeconds * 1000);
}
