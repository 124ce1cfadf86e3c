import { laterOf, protectionEnd, taskSelects, windowEnd, type DeleteTaskRule, type SelectionSubject } from './retention.js';

/**
 * The one answer to "why is this conversation kept?". The lifecycle, delete runs, the retention overview
 * and the lifecycle trace all take it from `decideRetention`; a new reason (an open review, a pending
 * training) is added here and nowhere else: its fact, its member of `RetentionReason`, its label and the
 * line of `keepingReasons` that gives it.
 */
export interface RetentionFacts extends SelectionSubject {
  /** When retention starts counting: the conversation's start (or capture when the start is unknown). */
  startedAt: Date;
  /** Its tags whose definition grants MiFID II protection, counted from `startedAt`. */
  protectingTags: readonly { name: string; protectionYears: number }[];
  /** The protection on record: the greatest end ever granted, by a tag or an extension; never moves earlier. */
  protectedUntil: Date | null;
  /** Protection ends an authority asked for (retention extensions). */
  extensions: readonly { until: Date }[];
  /** Its active (unreleased) legal holds. */
  holds: readonly { id: string }[];
  /** Its reviews not yet completed (nor removed): a conversation under review is kept until the review ends. */
  openReviews?: readonly { id: string }[];
}

/**
 * One reason, with a stable `code` and a human `text`. Plain data with ISO dates and ids only (no hold or
 * extension wording), so a delete run can carry it in its workflow state and report.
 */
export type RetentionReason =
  | { code: 'legal-hold'; text: string; holdIds: string[] }
  | { code: 'open-review'; text: string; reviewIds: string[] }
  | { code: 'retention-extension'; text: string; until: string }
  | { code: 'protected-tag'; text: string; tags: string[]; until: string }
  | { code: 'protection-kept'; text: string; until: string }
  | { code: 'no-delete-task'; text: string }
  | { code: 'task-window-open'; text: string; taskId: string; taskName: string; until: string }
  | { code: 'retention-elapsed'; text: string; taskId: string; taskName: string; dueAt: string };

export type RetentionReasonCode = RetentionReason['code'];

/**
 * A short label per code. A delete run's report has always counted its skips by these words
 * (`skippedReasons`); `skippedReasonCodes` counts the same skips by code.
 */
export const RETENTION_REASON_LABELS: { readonly [code in RetentionReasonCode]: string } = {
  'legal-hold': 'legal hold',
  'open-review': 'open review',
  'retention-extension': 'protected (MiFID II tag or extension)',
  'protected-tag': 'protected (MiFID II tag or extension)',
  'protection-kept': 'protected (MiFID II tag or extension)',
  'no-delete-task': 'no delete task applies',
  'task-window-open': 'not due',
  'retention-elapsed': 'due',
};

/** Every code, in precedence order: the first reason a decision lists is the one that decides it. */
export const RETENTION_REASON_CODES = Object.keys(RETENTION_REASON_LABELS) as [RetentionReasonCode, ...RetentionReasonCode[]];

interface DecisionBase {
  /** Whether the conversation may be deleted now. */
  verdict: 'keep' | 'delete';
  /** The protection in force: the latest of the one on record, its protecting tags' and its extensions'. */
  protectedUntil: Date | null;
  /** Never empty: every reason that keeps it now, in precedence order, or the one reason it may go. */
  reasons: [RetentionReason, ...RetentionReason[]];
}

/**
 * `held`: a legal hold keeps it with no end in sight; `keep`: no delete task applies; `due`: a task deletes
 * it at `deleteAt` (its window's end, or the protection's when that is later).
 */
export type RetentionDecision =
  | (DecisionBase & { status: 'held'; holds: number })
  | (DecisionBase & { status: 'keep' })
  | (DecisionBase & { status: 'due'; deleteAt: Date; taskId: string; taskName: string; protectionDelays: boolean });

const iso = (date: Date) => date.toISOString();

function tagProtectionEnd(facts: RetentionFacts): Date | null {
  const years = Math.max(0, ...facts.protectingTags.map((tag) => tag.protectionYears));
  return years > 0 ? protectionEnd(facts.startedAt, years) : null;
}

function extensionEnd(facts: RetentionFacts): Date | null {
  return facts.extensions.reduce<Date | null>((latest, extension) => laterOf(latest, extension.until), null);
}

function protectionReasons(facts: RetentionFacts, protectedUntil: Date | null, now: Date): RetentionReason[] {
  if (!protectedUntil || protectedUntil <= now) return [];
  const byExtension = extensionEnd(facts);
  const byTags = tagProtectionEnd(facts);
  const reasons: RetentionReason[] = [];
  if (byExtension && byExtension > now) {
    reasons.push({ code: 'retention-extension', text: `retention extended on an authority's request until ${iso(byExtension)}`, until: iso(byExtension) });
  }
  if (byTags && byTags > now) {
    const tags = [...new Set(facts.protectingTags.map((tag) => tag.name))].sort();
    reasons.push({ code: 'protected-tag', text: `MiFID II protection by tag ${tags.join(', ')} until ${iso(byTags)}`, tags, until: iso(byTags) });
  }
  // What neither a present tag nor an extension explains was granted by a tag since removed or redefined.
  const explained = laterOf(byExtension, byTags);
  if (!explained || explained < protectedUntil) {
    reasons.push({ code: 'protection-kept', text: `protection granted earlier (by a tag since removed or redefined) until ${iso(protectedUntil)}`, until: iso(protectedUntil) });
  }
  return reasons;
}

/** Whatever keeps the conversation apart from its delete task, in precedence order. */
function keepingReasons(facts: RetentionFacts, protectedUntil: Date | null, now: Date): RetentionReason[] {
  const holdIds = facts.holds.map((hold) => hold.id);
  const reviewIds = (facts.openReviews ?? []).map((review) => review.id);
  return [
    ...(holdIds.length > 0 ? [{ code: 'legal-hold' as const, text: `under ${holdIds.length} active legal hold${holdIds.length === 1 ? '' : 's'}`, holdIds }] : []),
    ...(reviewIds.length > 0 ? [{ code: 'open-review' as const, text: `under ${reviewIds.length} open review${reviewIds.length === 1 ? '' : 's'}, kept until completed or removed`, reviewIds }] : []),
    ...protectionReasons(facts, protectedUntil, now),
  ];
}

function taskReasons(applicable: ApplicableTask | undefined, now: Date): RetentionReason[] {
  if (!applicable) return [{ code: 'no-delete-task', text: 'no delete task selects it' }];
  const { task, windowEndsAt } = applicable;
  if (windowEndsAt <= now) return [];
  return [{ code: 'task-window-open', text: `retention window of delete task "${task.name}" runs until ${iso(windowEndsAt)}`, taskId: task.id, taskName: task.name, until: iso(windowEndsAt) }];
}

interface ApplicableTask {
  task: DeleteTaskRule;
  windowEndsAt: Date;
}

/** The enabled task that selects the conversation and ends its window first. */
function applicableTask(facts: RetentionFacts, tasks: readonly DeleteTaskRule[]): ApplicableTask | undefined {
  let earliest: ApplicableTask | undefined;
  for (const task of tasks) {
    if (!taskSelects(task, facts)) continue;
    const windowEndsAt = windowEnd(task, facts.startedAt);
    if (!earliest || windowEndsAt < earliest.windowEndsAt) earliest = { task, windowEndsAt };
  }
  return earliest;
}

/**
 * Kept or deleted at `now`, and why. Precedence: a legal hold, an open review, then protection (an authority's extension,
 * a protecting tag, a protection granted earlier), then the delete task (none applies, or its window is
 * still open); only when nothing keeps it may it go, under the task whose window ends first.
 */
export function decideRetention(facts: RetentionFacts, tasks: readonly DeleteTaskRule[], now: Date): RetentionDecision {
  const protectedUntil = [tagProtectionEnd(facts), extensionEnd(facts)].reduce(laterOf, facts.protectedUntil);
  const applicable = applicableTask(facts, tasks);
  const [first, ...rest] = [...keepingReasons(facts, protectedUntil, now), ...taskReasons(applicable, now)];
  // Held or without a task, a reason always says so: `first` is there.
  if (facts.holds.length > 0) return { status: 'held', holds: facts.holds.length, verdict: 'keep', protectedUntil, reasons: [first!, ...rest] };
  if (!applicable) return { status: 'keep', verdict: 'keep', protectedUntil, reasons: [first!, ...rest] };
  const { task, windowEndsAt } = applicable;
  const protectionDelays = protectedUntil !== null && protectedUntil > windowEndsAt;
  const deleteAt = protectionDelays ? protectedUntil : windowEndsAt;
  const due = { status: 'due' as const, deleteAt, taskId: task.id, taskName: task.name, protectionDelays, protectedUntil };
  if (first) return { ...due, verdict: 'keep', reasons: [first, ...rest] };
  return {
    ...due,
    verdict: 'delete',
    reasons: [{ code: 'retention-elapsed', text: `retention window of delete task "${task.name}" elapsed`, taskId: task.id, taskName: task.name, dueAt: iso(deleteAt) }],
  };
}
