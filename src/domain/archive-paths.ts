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

/**
 * A destination (relative to ARCHIVE_ROOT, already resolved) as comparable segments. Case and Unicode
 * form are folded: a network drive mounted below the root may treat `Advice` and `advice` (or composed and
 * decomposed accents) as one folder, and a false overlap only costs another name.
 */
function destinationSegments(destination: string): string[] {
  return destination
    .normalize('NFC')
    .toLowerCase()
    .split(/[/\\]+/)
    .filter((segment) => segment !== '' && segment !== '.');
}

/**
 * Whether two tasks' destinations share any folder: the same one, or one inside the other. Packages go into
 * per-tag folders below a destination, so a destination inside another task's is where that task writes.
 */
export function destinationsOverlap(a: string, b: string): boolean {
  const [left, right] = [destinationSegments(a), destinationSegments(b)];
  const shorter = left.length <= right.length ? left : right;
  const longer = shorter === left ? right : left;
  return shorter.every((segment, index) => segment === longer[index]);
}
