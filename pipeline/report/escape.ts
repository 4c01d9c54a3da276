/**
 * Escaping of untrusted text (namespaces, model ids, anything that came from the Hub or an
 * imported file) for each place it is shown. The author field of a legacy model is free text, so
 * it can carry markup, a lone carriage return that starts a new Markdown line, or terminal escape
 * sequences; none of it may act as anything but text.
 */

// C0 and C1 control characters, DEL, and the bidirectional overrides that can reorder what a
// reader sees. Tabs and line breaks become spaces: every value we show is one line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\r\n\u2028\u2029]/g;

/** One printable line: control characters shown as U+FFFD, line breaks and tabs as spaces. */
export function printable(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '\uFFFD');
}

/**
 * Markdown inline text: every character that CommonMark or GitHub give a meaning inside a line
 * (emphasis, code, links and images, raw HTML, entities, table cells, strikethrough) is
 * backslash-escaped, which CommonMark renders as the character itself. Text never starts a line
 * (block markers such as `#` cannot apply), and without `[` a `(` or `!` is plain text, so the
 * report's own parentheses stay readable in the raw file.
 */
export function escapeMarkdown(text: string): string {
  return printable(text).replace(/[\\`*_[\]<>|~&]/g, '\\$&');
}

/** HTML text or attribute value (attributes are always double-quoted by our renderer). */
export function escapeHtml(text: string): string {
  return printable(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
