/** A terminal's output stream, with its width when it has one. */
export type TerminalStream = NodeJS.WritableStream & { columns?: number };

const CLEAR = '\r\x1b[2K';

/**
 * The one live line at the bottom of a terminal: progress redraws it in place, and log lines are
 * printed above it, so neither overwrites the other. Writes are synchronous with the caller, so
 * the line is always cleared before anything else reaches the terminal.
 */
export class StatusLine {
  private text = '';
  constructor(private readonly out: TerminalStream) {}

  /** Replace the live line. Cut to the terminal's width: a wrapped line could not be cleared. */
  show(text: string): void {
    const width = this.out.columns ?? 0;
    this.text = width > 1 && text.length >= width ? `${text.slice(0, width - 2)}…` : text;
    this.out.write(`${CLEAR}${this.text}`);
  }

  /** Print whole lines above the live line, then draw it again. */
  print(lines: string): void {
    this.out.write(this.text ? `${CLEAR}${lines}${this.text}` : lines);
  }

  /** Remove the live line, before the command's output or its last message. */
  clear(): void {
    if (!this.text) return;
    this.text = '';
    this.out.write(CLEAR);
  }
}
