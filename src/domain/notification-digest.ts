import { escapeHtml, formatInTimeZone, type RenderedMail } from './review-notifications.js';
import { isKnownTimeZone } from './time-zones.js';
import { DAY_MS, HOUR_MS, firstInstantOfWallClock, localDate } from './wall-clock.js';

/**
 * When a daily-digest recipient's mails go out: the next 07:00 on their own clock. The hour is a local
 * wall-clock hour, so on a day the clocks change the digest still comes at 07:00 local (23 or 25 hours after
 * the previous one), not at a fixed UTC time.
 */
export const DIGEST_LOCAL_HOUR = 7;

/**
 * The next digest time at or after `now`: today's `localHour`:00 in the recipient's IANA zone, or tomorrow's
 * when that has passed. A zone the runtime does not know is taken as UTC (as mails render it).
 */
export function nextDigestTime(now: Date, timeZone: string, localHour: number = DIGEST_LOCAL_HOUR): Date {
  const zone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  const today = localDate(now.getTime(), zone);
  for (let day = 0; day < 3; day += 1) {
    const candidate = firstInstantOfWallClock(today + day * DAY_MS + localHour * HOUR_MS, zone);
    if (candidate >= now.getTime()) return new Date(candidate);
  }
  throw new Error(`no digest time found after ${now.toISOString()} in ${zone}`);
}

export interface DigestItem {
  subject: string;
  /** The path the item's own mail links to; null when it had none. */
  link: string | null;
  /** When the event was queued. */
  at: Date;
}

export interface DigestFacts {
  /** The recipient's IANA zone: every time shown is theirs. */
  timeZone: string;
  /** The digest's nominal time (its earliest row's). */
  digestAt: Date;
  items: readonly DigestItem[];
}

/** `Recordkeeper digest: N notifications`, listing each item's subject, time and link; the HTML is escaped. */
export function renderDigestMail(facts: DigestFacts): RenderedMail {
  const count = facts.items.length;
  const subject = `Recordkeeper digest: ${count} notification${count === 1 ? '' : 's'}`;
  const intro = `Your notifications up to ${formatInTimeZone(facts.digestAt, facts.timeZone)}:`;
  const text = [
    intro,
    '',
    ...facts.items.flatMap((item, index) => [
      `${index + 1}. ${item.subject}`,
      `   At: ${formatInTimeZone(item.at, facts.timeZone)}`,
      ...(item.link ? [`   Open: ${item.link}`] : []),
    ]),
    '',
    '— Recordkeeper',
    '',
  ].join('\n');
  const entries = facts.items
    .map(
      (item) =>
        `<li>${item.link ? `<a href="${escapeHtml(item.link)}">${escapeHtml(item.subject)}</a>` : escapeHtml(item.subject)}` +
        ` <small>${escapeHtml(formatInTimeZone(item.at, facts.timeZone))}</small></li>`,
    )
    .join('');
  const html = `<!doctype html><html><body><p>${escapeHtml(intro)}</p><ol>${entries}</ol><p>— Recordkeeper</p></body></html>`;
  return { subject, text, html };
}

/** The link a rendered notification mail carries: its `Open: <path>` line, else its first HTML link. */
export function linkOfMail(text: string, html: string): string | null {
  const line = /^Open: (\S+)\s*$/m.exec(text);
  if (line) return line[1]!;
  const href = /<a\s[^>]*href="([^"]+)"/i.exec(html);
  return href ? href[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>') : null;
}
