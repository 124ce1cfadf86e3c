/** Dates in the requesting user's time zone, as the seed's Audit Log shows them. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * ISO 8601 local time with the zone's offset at that instant, keeping the microseconds:
 * `2026-11-20T11:00:00.123456+01:00` for 2026-11-20T10:00:00.123456Z in Europe/Prague.
 */
export function formatInTimeZone(utcMicros: string, timeZone: string): string {
  const fraction = /\.(\d+)Z$/.exec(utcMicros)?.[1] ?? '000000';
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(utcMicros)).map((part) => [part.type, part.value]));
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : (parts.timeZoneName ?? 'GMT+00:00').replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${fraction}${offset}`;
}
