/**
 * Who is mailed about which review step, and what the mail says. Mails carry only ids, times and a link
 * path: never a customer's name, number or words (they outlive nothing, but they leave the engine).
 */
export type ReviewNotificationKind = 'review-assigned' | 'review-due-soon' | 'review-overdue' | 'review-revealed' | 'dispute-opened' | 'dispute-decided';

export interface ReviewParties {
  evaluatorId: string | null;
  /** The user whose username is the review's agent, if there is one. */
  agentUserId: string | null;
  planOwnerId: string | null;
  planArbitratorId: string | null;
}

export interface ReviewNotification {
  kind: ReviewNotificationKind;
  recipientUserIds: string[];
}

/** The mail a review step sends and to whom; undefined for steps nobody is mailed about. */
export function reviewNotificationFor(step: string, parties: ReviewParties): ReviewNotification | undefined {
  const to = (kind: ReviewNotificationKind, ...ids: (string | null)[]): ReviewNotification => ({
    kind,
    recipientUserIds: [...new Set(ids.filter((id): id is string => id !== null))],
  });
  switch (step) {
    case 'assigned':
      return to('review-assigned', parties.evaluatorId);
    case 'reminded':
      return to('review-due-soon', parties.evaluatorId, parties.planOwnerId);
    case 'overdue':
      return to('review-overdue', parties.evaluatorId, parties.planOwnerId);
    case 'revealed':
      return to('review-revealed', parties.agentUserId);
    case 'disputed':
      return to('dispute-opened', parties.planArbitratorId ?? parties.planOwnerId);
    case 'dispute-accepted':
    case 'dispute-partially-accepted':
    case 'dispute-rejected':
      return to('dispute-decided', parties.agentUserId);
    default:
      return undefined;
  }
}

/** Whether any mail can follow from this step (so steps nobody hears about cost no query). */
export function isNotifiedReviewStep(step: string): boolean {
  return reviewNotificationFor(step, { evaluatorId: 'x', agentUserId: 'x', planOwnerId: 'x', planArbitratorId: 'x' }) !== undefined;
}

export interface ReviewMailFacts {
  kind: ReviewNotificationKind;
  step: string;
  reviewId: string;
  dueAt: Date | null;
  /** The recipient's IANA time zone: every time shown is theirs. */
  timeZone: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const OUTCOMES: Record<string, string> = {
  'dispute-accepted': 'accepted',
  'dispute-partially-accepted': 'partially accepted',
  'dispute-rejected': 'rejected',
};

/** `2026-11-20 11:00 (Europe/Berlin)`; a zone the runtime does not know falls back to UTC. */
export function formatInTimeZone(at: Date, timeZone: string): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${zone})`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function reviewLinkPath(reviewId: string): string {
  return `/v1/reviews/${encodeURIComponent(reviewId)}`;
}

function headline(facts: ReviewMailFacts): { subject: string; sentence: string } {
  switch (facts.kind) {
    case 'review-assigned':
      return { subject: 'Review assigned', sentence: 'A review has been assigned to you.' };
    case 'review-due-soon':
      return { subject: 'Review due soon', sentence: 'A review you are responsible for is due soon.' };
    case 'review-overdue':
      return { subject: 'Review overdue', sentence: 'A review you are responsible for is overdue.' };
    case 'review-revealed':
      return { subject: 'Review revealed', sentence: 'A review of one of your conversations has been revealed to you.' };
    case 'dispute-opened':
      return { subject: 'Review disputed', sentence: 'An agent has disputed a review you decide disputes for.' };
    case 'dispute-decided':
      return { subject: `Dispute ${OUTCOMES[facts.step] ?? 'decided'}`, sentence: `Your dispute of a review was ${OUTCOMES[facts.step] ?? 'decided'}.` };
  }
}

/** The plain-text and HTML bodies of one review mail; every value shown in the HTML is escaped. */
export function renderReviewMail(facts: ReviewMailFacts): RenderedMail {
  const { subject, sentence } = headline(facts);
  const lines: [string, string][] = [['Review', facts.reviewId]];
  if (facts.dueAt) lines.push(['Due', formatInTimeZone(facts.dueAt, facts.timeZone)]);
  lines.push(['Open', reviewLinkPath(facts.reviewId)]);
  const text = [sentence, '', ...lines.map(([label, value]) => `${label}: ${value}`), '', '— Recordkeeper', ''].join('\n');
  const rows = lines.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const html =
    `<!doctype html><html><body><p>${escapeHtml(sentence)}</p><table>${rows}</table>` +
    `<p><a href="${escapeHtml(reviewLinkPath(facts.reviewId))}">Open the review</a></p><p>— Recordkeeper</p></body></html>`;
  return { subject: `${subject}: ${facts.reviewId}`, text, html };
}
