import type { Delimiter } from '../io/delimiter';

/** A file's decimal mark: `.` or `,`; null while no number of the file has had one. */
export type Mark = '.' | ',' | null;

/**
 * The numbers of one CSV file (docs/reference.md §2): with `,` between fields a
 * number has a decimal point; with `;` or tab it may have a decimal comma (`95,2` =
 * 95.2), as Excel writes them. A file uses one decimal mark throughout: the first
 * number written with one decides, and a number with the other, or with a thousands
 * separator, is a bad row that says so. Cells without a mark (`95`) are left alone.
 *
 * `text(cell)` returns the cell with a decimal point, for the number parsers, or null
 * with `problem` set. One per file; not shared between files.
 */
export class DecimalMark {
  /** What is wrong with the cell last refused. */
  problem = '';

  constructor(
    readonly delimiter: Delimiter,
    /** The mark decided so far (a chunk of --jobs starts from what its file had). */
    public mark: Mark = delimiter === ',' ? '.' : null,
  ) {}

  text(cell: string): string | null {
    const comma = cell.indexOf(',');
    if (this.delimiter === ',') {
      if (comma < 0) return cell;
      this.problem =
        'a comma in a number: a decimal comma is read only in files separated by semicolons or tabs, and this file is separated by commas (write 95.2; no thousands separators)';
      return null;
    }
    const point = cell.indexOf('.');
    if (comma < 0 && point < 0) return cell;
    if ((comma >= 0 && point >= 0) || (comma >= 0 && cell.indexOf(',', comma + 1) >= 0) || (point >= 0 && cell.indexOf('.', point + 1) >= 0)) {
      this.problem = `a thousands separator is not read: write the number with ${this.mark === '.' ? 'a decimal point' : this.mark === ',' ? 'a decimal comma' : 'one decimal mark'} only (e.g. ${this.mark === '.' ? '1234.5' : '1234,5'})`;
      return null;
    }
    const at = comma >= 0 ? comma : point;
    // a mark between digits decides; anything else is left to the number's own check
    if (!isDigitAt(cell, at - 1) || !isDigitAt(cell, at + 1)) return cell;
    const m: '.' | ',' = comma >= 0 ? ',' : '.';
    if (this.mark === null) this.mark = m;
    else if (this.mark !== m) {
      this.problem =
        m === ','
          ? 'this number has a decimal comma, but this file writes its numbers with a decimal point; a file uses one decimal mark throughout'
          : 'this number has a decimal point, but this file writes its numbers with a decimal comma (95,2); a file uses one decimal mark throughout, and a point as a thousands separator is not read';
      return null;
    }
    return m === ',' ? cell.slice(0, at) + '.' + cell.slice(at + 1) : cell;
  }
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}
