/**
 * Go's text/tabwriter as kubectl describe configures it (minwidth 0, tabwidth 8, padding 2, padchar ' ', no flags),
 * plus kubectl's PrefixWriter (LEVEL_n indents by 2n spaces). Text is cells separated by '\t'; a cell is part of a
 * column only when a tab ends it, and a column block is a run of consecutive lines that have a cell in that column,
 * so a line without tabs ("Containers:") ends every block — which is why each section of `kubectl describe` aligns
 * on its own. Widths count runes. `flush()` formats everything written so far independently of what follows
 * (kubectl flushes before the Events table).
 */

interface Cell {
  text: string;
  width: number;
}

const runeWidth = (s: string): number => [...s].length;

export class TabWriter {
  private out = '';
  private lines: Cell[][] = [[]];
  private cell = '';

  constructor(private readonly padding = 2) {}

  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t') {
        this.lines[this.lines.length - 1]!.push({ text: this.cell, width: runeWidth(this.cell) });
        this.cell = '';
      } else if (ch === '\n') {
        this.lines[this.lines.length - 1]!.push({ text: this.cell, width: runeWidth(this.cell) });
        this.cell = '';
        this.lines.push([]);
      } else this.cell += ch;
    }
  }

  flush(): void {
    // The pending partial cell stays as the last (unterminated) cell of the last line.
    const last = this.lines[this.lines.length - 1]!;
    const partial = this.cell !== '' || last.length > 0;
    if (this.cell !== '') last.push({ text: this.cell, width: runeWidth(this.cell) });
    this.cell = '';
    const lines = partial ? this.lines : this.lines.slice(0, -1);
    this.format(lines, 0, lines.length, [], partial);
    this.lines = [[]];
  }

  toString(): string {
    this.flush();
    return this.out;
  }

  private format(lines: Cell[][], line0: number, line1: number, widths: number[], partialLast: boolean): void {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      this.writeLines(lines, start, i, widths, partialLast);
      start = i;
      let width = 0;
      let j = i;
      for (; j < line1; j++) {
        const line = lines[j]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + this.padding);
      }
      this.format(lines, start, j, [...widths, width], partialLast);
      start = j;
      i = j - 1;
    }
    this.writeLines(lines, start, line1, widths, partialLast);
  }

  private writeLines(lines: Cell[][], from: number, to: number, widths: number[], partialLast: boolean): void {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        this.out += c.text;
        if (j < widths.length) this.out += ' '.repeat(Math.max(0, widths[j]! - c.width));
      }
      if (!(partialLast && i === lines.length - 1)) this.out += '\n';
    }
  }
}

/** kubectl's PrefixWriter over a TabWriter. */
export class PrefixWriter {
  readonly tw = new TabWriter();

  write(level: number, text: string): void {
    this.tw.write('  '.repeat(level) + text);
  }

  /** Fprintln: the text and a newline, no indent. */
  line(text: string): void {
    this.tw.write(`${text}\n`);
  }

  flush(): void {
    this.tw.flush();
  }

  toString(): string {
    return this.tw.toString();
  }
}
