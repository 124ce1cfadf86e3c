import { CAPTURE_FLAG_CODES, captureFlagsOf, channelOf, type CaptureFlag, type ContactRecord } from './contact-record.js';

export interface ConversationSummary {
  channel: string;
  startedAt: Date | null;
  endedAt: Date | null;
  agentUsername: string | null;
  queueName: string | null;
  customerAddress: string | null;
  systemAddress: string | null;
  attributes: Record<string, string>;
  /** Every leg's capture flags, in CAPTURE_FLAG_CODES order. */
  captureFlags: CaptureFlag[];
}

const toDate = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

function byInitiation(a: ContactRecord, b: ContactRecord): number {
  const at = a.InitiationTimestamp ?? a.LastUpdateTimestamp;
  const bt = b.InitiationTimestamp ?? b.LastUpdateTimestamp;
  return at < bt ? -1 : at > bt ? 1 : a.ContactId.localeCompare(b.ContactId);
}

/**
 * Orders the legs of one conversation: follow PreviousContactId/NextContactId links from the first leg,
 * falling back to initiation time for legs whose links have not arrived yet (records come in any order).
 */
export function orderLegs(records: readonly ContactRecord[]): ContactRecord[] {
  const byId = new Map(records.map((record) => [record.ContactId, record]));
  const successor = new Map<string, ContactRecord>();
  for (const record of records) {
    if (record.NextContactId && byId.has(record.NextContactId)) successor.set(record.ContactId, byId.get(record.NextContactId)!);
    if (record.PreviousContactId && byId.has(record.PreviousContactId) && !successor.has(record.PreviousContactId)) {
      successor.set(record.PreviousContactId, record);
    }
  }
  const hasPredecessor = new Set([...successor.values()].map((record) => record.ContactId));
  const ordered: ContactRecord[] = [];
  const seen = new Set<string>();
  for (const head of [...records].sort(byInitiation).filter((record) => !hasPredecessor.has(record.ContactId))) {
    for (let leg: ContactRecord | undefined = head; leg && !seen.has(leg.ContactId); leg = successor.get(leg.ContactId)) {
      seen.add(leg.ContactId);
      ordered.push(leg);
    }
  }
  // Cycles (malformed links) still keep every leg.
  for (const record of [...records].sort(byInitiation)) if (!seen.has(record.ContactId)) ordered.push(record);
  return ordered;
}

/** The searchable face of a conversation, derived from all of its legs. */
export function summarizeLegs(records: readonly ContactRecord[]): ConversationSummary {
  const legs = orderLegs(records);
  const first = legs[0];
  if (!first) throw new Error('a conversation has at least one leg');
  const starts = legs.map((leg) => toDate(leg.InitiationTimestamp)).filter((date): date is Date => date !== null);
  const ends = legs.map((leg) => toDate(leg.DisconnectTimestamp)).filter((date): date is Date => date !== null);
  const attributes: Record<string, string> = {};
  for (const leg of legs) {
    for (const [key, value] of Object.entries(leg.Attributes ?? {})) if (value !== null) attributes[key] = value;
  }
  const firstWith = <T>(pick: (leg: ContactRecord) => T | null | undefined): T | null => {
    for (const leg of legs) {
      const value = pick(leg);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  };
  return {
    channel: channelOf(first),
    startedAt: starts.length ? new Date(Math.min(...starts.map(Number))) : null,
    endedAt: ends.length === legs.length ? new Date(Math.max(...ends.map(Number))) : null,
    agentUsername: firstWith((leg) => leg.Agent?.Username),
    queueName: firstWith((leg) => leg.Queue?.Name),
    customerAddress: firstWith((leg) => leg.CustomerEndpoint?.Address),
    systemAddress: firstWith((leg) => leg.SystemEndpoint?.Address),
    attributes,
    captureFlags: CAPTURE_FLAG_CODES.filter((flag) => legs.some((leg) => captureFlagsOf(leg).includes(flag))),
  };
}
