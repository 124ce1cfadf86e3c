/** A content type is echoed only when it is a plain `type/subtype`; anything else is served as bytes. */
const SAFE_CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

function contentDisposition(fileName: string | null, sha256: string): string {
  const name = fileName ?? sha256;
  const fallback = name.replace(/[^\x20-\x7e]|["\\;]/g, '_');
  // Always `attachment`: an HTML or SVG attachment must not render in the API's origin.
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function downloadHeaders(media: { sha256: string; sizeBytes: number; contentType: string; fileName: string | null }): Record<string, string> {
  return {
    'content-type': SAFE_CONTENT_TYPE.test(media.contentType) ? media.contentType : 'application/octet-stream',
    'content-length': String(media.sizeBytes),
    'content-disposition': contentDisposition(media.fileName, media.sha256),
    etag: `"${media.sha256}"`,
    'x-content-sha256': media.sha256,
    'cache-control': 'private, no-store',
  };
}
