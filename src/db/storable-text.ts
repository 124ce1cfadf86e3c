const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL would refuse this string as a text or jsonb parameter (a NUL or an unpaired surrogate fails
 * the query, and with it the request, as a 500 where the caller deserved a 422), or undefined.
 */
export function unstorableReason(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

export function isStorableText(text: string): boolean {
  return unstorableReason(text) === undefined;
}
