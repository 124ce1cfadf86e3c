import type { RetentionView } from '../../retention/retention-decisions.js';
import type { ConversationTrace, TraceStep } from './trace-types.js';

function who(step: TraceStep): string {
  if (!step.actor) return 'unknown';
  return step.actor.fullName && step.actor.fullName !== step.actor.username ? `${step.actor.username} (${step.actor.fullName})` : step.actor.username;
}

function retentionLines(retention: RetentionView): string[] {
  const due = retention.deleteAt ? `, deletion due ${retention.deleteAt}${retention.deleteTask ? ` under delete task "${retention.deleteTask.name}"` : ''}` : '';
  return [`Retention:   ${retention.status}${due}`, ...retention.reasons.map((reason) => `             [${reason.code}] ${reason.text}`)];
}

/** The trace as a report an auditor can read or file: a header, then one block per step in time order. */
export function traceText(trace: ConversationTrace): string {
  const lines: string[] = [`Lifecycle trace of conversation ${trace.conversationId}`, ''];
  const conversation = trace.conversation;
  if (conversation) {
    lines.push(
      `Channel:     ${conversation.channel}`,
      `Source:      ${conversation.source} ${conversation.externalKey}`,
      `Captured:    ${conversation.createdAt}`,
      `State:       ${conversation.lifecycleState}${conversation.deletedAt ? ` since ${conversation.deletedAt}` : ''}`,
    );
  }
  lines.push(`Outcome:     ${trace.outcome}`);
  if (trace.retention) lines.push(...retentionLines(trace.retention));
  const runs = trace.workflow.runs;
  lines.push(`Workflow:    ${trace.workflow.workflowId}, ${runs.length} run(s)${runs.length ? `: ${runs.map((run) => `${run.runId}${run.historyAvailable ? '' : ' (history gone)'}`).join(', ')}` : ''}`);
  if (trace.workflow.note) lines.push(`Note:        ${trace.workflow.note}`);
  lines.push(`Times in:    ${trace.timeZone}`, `Steps:       ${trace.steps.length}`, '');

  for (const step of trace.steps) {
    const result = step.result ? ` [${step.result}]` : '';
    const where = step.audit ? `audit #${step.audit.chainSeq}` : `workflow run ${step.workflow?.runId.slice(0, 8) ?? ''} event ${step.workflow?.eventId ?? ''}`;
    lines.push(`${step.date}  ${step.step}${result}`);
    lines.push(`    by ${who(step)}; ${where}${step.correlationId ? `; request ${step.correlationId}` : ''}`);
    if (step.description && step.description !== step.step) lines.push(`    ${step.description}`);
  }
  return `${lines.join('\n')}\n`;
}
