import { CsvScanner } from '../../src/io/csv-scanner';

/**
 * Quoted fields full of `""`: the scanner used to search forward for a line break at
 * every quote, so a record of n pairs cost n × n. One record of a million pairs here
 * (two million quotes over 2 MB) takes minutes that way and a few milliseconds when
 * each character is looked at a bounded number of times. No timing is asserted: the
 * size makes quadratic behaviour obvious (jest's time limit), the assertions check the
 * fields and the line numbers.
 */
/** Characters that String.prototype.indexOf looked at while `f` ran: the scanner's searches. */
function charactersSearched(f: () => void): number {
  const orig = String.prototype.indexOf;
  let scanned = 0;
  String.prototype.indexOf = function (this: string, search: string, from?: number): number {
    const r = orig.call(this, search, from);
    const start = Math.max(0, Math.min(from ?? 0, this.length));
    scanned += (r < 0 ? this.length : r) - start;
    return r;
  };
  try {
    f();
  } finally {
    String.prototype.indexOf = orig;
  }
  return scanned;
}

describe('CsvScanner on quoted fields full of ""', () => {
  it('searches each character a bounded number of times (linear, not n × n)', () => {
    const text = `id,note\nr1,"${'""'.repeat(20_000)}\n"\nr2,x\n`;
    let records = 0;
    const searched = charactersSearched(() => new CsvScanner(3 * 1024 * 1024).feed(text, true, () => records++));
    expect(records).toBe(3);
    // quadratic: about 20,000 quotes × 20,000 characters each = 4 × 10^8
    expect(searched).toBeLessThan(10 * text.length);
  });

  it('reads a million escaped quotes, with two line breaks among them, and counts lines right', () => {
    const PAIRS = 1_000_000;
    const BREAK_EVERY = 500_000; // an LF inside the field after every 500,000 pairs, the last at its end
    let field = '';
    const parts: string[] = [];
    for (let i = 1; i <= PAIRS; i++) {
      parts.push('""');
      if (i % BREAK_EVERY === 0) parts.push('\n');
    }
    field = parts.join('');
    const breaks = PAIRS / BREAK_EVERY;
    const text = `id,note\nr1,"${field}"\nr2,"a""b"\n"r3",plain\n`;
    const got: Array<[number, string[]]> = [];
    const sc = new CsvScanner(3 * 16 * 1024 * 1024);
    expect(sc.feed(text, true, (line, fields) => got.push([line, fields]))).toBe(true);
    expect(sc.stop).toBeNull();
    expect(got.map(([l, f]) => [l, f.length])).toEqual([
      [1, 2],
      [2, 2],
      [3 + breaks, 2],
      [4 + breaks, 2],
    ]);
    const note = got[1]![1][1]!;
    expect(note.length).toBe(PAIRS + breaks);
    expect(note.split('"').length - 1).toBe(PAIRS);
    expect(note.split('\n').length - 1).toBe(breaks);
    expect(got[2]![1]).toEqual(['r2', 'a"b']);
    expect(got[3]![1]).toEqual(['r3', 'plain']);
  });

  it('gives the same records and lines when the text comes in small pieces', () => {
    const text = `id,note\nr1,"${'""'.repeat(5000)}\n${'""'.repeat(5000)}"\r\nr2,"x""\ny"\n`;
    const whole: Array<[number, string[]]> = [];
    new CsvScanner(3 * 1024 * 1024).feed(text, true, (l, f) => whole.push([l, f]));
    const pieces: Array<[number, string[]]> = [];
    const sc = new CsvScanner(3 * 1024 * 1024);
    for (let i = 0; i < text.length; i += 777) sc.feed(text.slice(i, i + 777), i + 777 >= text.length, (l, f) => pieces.push([l, f]));
    expect(pieces).toEqual(whole);
    expect(whole.map(([l]) => l)).toEqual([1, 2, 4]);
  });
});
