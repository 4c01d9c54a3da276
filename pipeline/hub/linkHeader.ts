/**
 * The `rel="next"` target of an RFC 8288 `Link` header, verbatim (cursors are the server's
 * business, never built by us), or null on the last page.
 */
export function parseNextLink(header: string | null | undefined): string | null {
  if (!header) return null;
  // Split on commas that start a new <...> link; commas may occur inside a URL.
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*((?:;\s*[^;]+)*)$/.exec(part);
    if (!m) continue;
    const params = (m[2] ?? '').split(';').map((p) => p.trim());
    const isNext = params.some((p) => {
      const kv = /^rel\s*=\s*"?([^"]*)"?$/i.exec(p);
      return kv !== null && (kv[1] ?? '').toLowerCase().split(/\s+/).includes('next');
    });
    if (isNext) return m[1] ?? null;
  }
  return null;
}
