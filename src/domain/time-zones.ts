/** Whether a string is an IANA time zone this runtime knows (users' zones, audit searches, review plans). */
export function isKnownTimeZone(timeZone: string): boolean {
  // Newer runtimes also take offsets ("+01:00"); a zone here is a named one, whose rules include DST.
  if (/^[+-]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
