import { escapeHtml, formatInTimeZone, type RenderedMail } from './review-notifications.js';

/**
 * Who is mailed about which training step, and what the mail says. Like review mails they carry only ids,
 * times and a link path: never a customer's name, number or words.
 */
export type TrainingNotificationKind = 'training-assigned' | 'training-reminder' | 'training-overdue' | 'training-failed';

export interface TrainingParties {
  assigneeUserId: string;
  /** Enabled supervisors of the trainee's groups. */
  supervisorUserIds: readonly string[];
}

export interface TrainingNotification {
  kind: TrainingNotificationKind;
  recipientUserIds: string[];
}

/**
 * The mail a training step sends and to whom; undefined for steps nobody is mailed about. A re-assignment
 * after a failed attempt sends none: the trainee learns the new due time from the attempt's answer.
 */
export function trainingNotificationFor(step: string, parties: TrainingParties): TrainingNotification | undefined {
  const to = (kind: TrainingNotificationKind, ids: readonly string[]): TrainingNotification => ({ kind, recipientUserIds: [...new Set(ids)] });
  switch (step) {
    case 'assigned':
      return to('training-assigned', [parties.assigneeUserId]);
    case 'reminded':
      return to('training-reminder', [parties.assigneeUserId]);
    case 'overdue':
      return to('training-overdue', [parties.assigneeUserId, ...parties.supervisorUserIds]);
    case 'failed':
      return to('training-failed', parties.supervisorUserIds);
    default:
      return undefined;
  }
}

/** Whether any mail can follow from this step (so steps nobody hears about cost no query). */
export function isNotifiedTrainingStep(step: string): boolean {
  return trainingNotificationFor(step, { assigneeUserId: 'x', supervisorUserIds: ['y'] }) !== undefined;
}

/** Steps whose mail goes to the trainee's supervisors, who then have to be looked up. */
export function needsSupervisors(step: string): boolean {
  return step === 'overdue' || step === 'failed';
}

export interface TrainingMailFacts {
  kind: TrainingNotificationKind;
  assignmentId: string;
  packId: string;
  packVersion: number;
  /** The trainee, by user id: the supervisor's mail names whom it is about without personal data. */
  assigneeUserId: string;
  dueAt: Date;
  attemptsUsed: number;
  attemptsAllowed: number;
  /** The recipient's IANA time zone: every time shown is theirs. */
  timeZone: string;
}

export function trainingLinkPath(assignmentId: string): string {
  return `/v1/training-assignments/${encodeURIComponent(assignmentId)}`;
}

function headline(kind: TrainingNotificationKind): { subject: string; sentence: string } {
  switch (kind) {
    case 'training-assigned':
      return { subject: 'Training assigned', sentence: 'A training has been assigned to you.' };
    case 'training-reminder':
      return { subject: 'Training due soon', sentence: 'A training assigned to you is due soon.' };
    case 'training-overdue':
      return { subject: 'Training overdue', sentence: 'A training is overdue.' };
    case 'training-failed':
      return { subject: 'Training failed', sentence: 'An agent you supervise used every allowed attempt of a training without passing.' };
  }
}

/** The plain-text and HTML bodies of one training mail; every value shown in the HTML is escaped. */
export function renderTrainingMail(facts: TrainingMailFacts): RenderedMail {
  const { subject, sentence } = headline(facts.kind);
  const lines: [string, string][] = [
    ['Training assignment', facts.assignmentId],
    ['Pack', `${facts.packId} (version ${facts.packVersion})`],
  ];
  if (facts.kind === 'training-failed' || facts.kind === 'training-overdue') lines.push(['Trainee (user id)', facts.assigneeUserId]);
  lines.push(facts.kind === 'training-failed' ? ['Attempts used', `${facts.attemptsUsed} of ${facts.attemptsAllowed}`] : ['Due', formatInTimeZone(facts.dueAt, facts.timeZone)]);
  lines.push(['Open', trainingLinkPath(facts.assignmentId)]);
  const text = [sentence, '', ...lines.map(([label, value]) => `${label}: ${value}`), '', '— Recordkeeper', ''].join('\n');
  const rows = lines.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const html =
    `<!doctype html><html><body><p>${escapeHtml(sentence)}</p><table>${rows}</table>` +
    `<p><a href="${escapeHtml(trainingLinkPath(facts.assignmentId))}">Open the training</a></p><p>— Recordkeeper</p></body></html>`;
  return { subject: `${subject}: ${facts.assignmentId}`, text, html };
}
