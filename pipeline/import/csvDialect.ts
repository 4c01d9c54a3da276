/** How a delimited text file is written, as far as reading it needs. */
export interface CsvDialect {
  readonly delimiter: string;
  /** `,` for semicolon-separated spreadsheet exports (`1.234,0`), else `.`. */
  readonly decimalMark: '.' | ',';
  /** 1-based line of the header: 2 when the file starts with Excel's `sep=;` line. */
  readonly headerLine: number;
}

const CANDIDATES = [',', ';', '\t', '|'] as const;

/**
 * Guess the dialect from the start of a file: Excel's `sep=X` first line names the delimiter;
 * otherwise the delimiter is the candidate (`,` `;` tab `|`) found most often, outside quotes, in
 * the header line (`,` when none is).
 */
export function sniffDialect(head: string): CsvDialect {
  const text = head.startsWith('\ufeff') ? head.slice(1) : head;
  const sepLine = /^sep=(.)[ \t]*(\r\n|\n|\r|$)/i.exec(text);
  if (sepLine) {
    const delimiter = sepLine[1]!;
    return { delimiter, decimalMark: delimiter === ';' ? ',' : '.', headerLine: 2 };
  }
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let delimiter: string = ',';
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(delimiter)!) delimiter = c;
  return { delimiter, decimalMark: delimiter === ';' ? ',' : '.', headerLine: 1 };
}
