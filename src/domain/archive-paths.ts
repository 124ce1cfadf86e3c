/**
 * Directory names built from tag names and values. Anything but letters, digits, '-' and '_' is
 * percent-encoded, so '..', '/', '\' and absolute paths cannot appear: a package can never escape its
 * task's destination, whatever an admin or a contact center put into a tag.
 */
export function safeSegment(raw: string): string {
  const encoded = Array.from(new TextEncoder().encode(raw))
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return encoded.length === 0 ? '%00' : encoded.slice(0, 200);
}

/** `<tag name>/<tag value>` (or `_untagged`) below the destination, each part encoded. */
export function tagDirectory(tag: { name: string; value: string | null } | null): string[] {
  if (!tag) return ['_untagged'];
  return tag.value === null ? [safeSegment(tag.name)] : [safeSegment(tag.name), safeSegment(tag.value)];
}
