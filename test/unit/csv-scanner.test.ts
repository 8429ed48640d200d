import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CsvScanner } from '../../src/io/csv-scanner';
import { csvOptions, MAX_RECORD_CHARS, RecordReader } from '../../src/io/record-reader';
import type { Delimiter } from '../../src/io/record-reader';
import { completeUtf8Length } from '../../src/io/utf8';

/**
 * The fast reader must give what csv-parse gives with callbill's options, on every
 * input: the same records, each with the same first line, and, where csv-parse
 * fails, the same error at the same line after the same records.
 */
interface Outcome {
  records: Array<[number, string[]]>;
  error: string | null;
}

/** csv-parse alone, with physical lines (LFs) computed from its byte offsets, as callbill reports them. */
function reference(input: Buffer, delimiter: Delimiter = ','): Outcome {
  const records: Outcome['records'] = [];
  let prevEnd = 0;
  let prevEmpty = 0;
  const lfBefore = (end: number): number => {
    let n = 0;
    for (let i = input.indexOf(10); i >= 0 && i < end; i = input.indexOf(10, i + 1)) n++;
    return n;
  };
  try {
    parse(input, {
      ...csvOptions(delimiter),
      on_record: (record: string[], ctx: { bytes: number; empty_lines: number }) => {
        records.push([1 + lfBefore(prevEnd) + (ctx.empty_lines - prevEmpty), record]);
        prevEnd = ctx.bytes;
        prevEmpty = ctx.empty_lines;
        return null;
      },
    } as never);
  } catch (e) {
    const err = e as Error & { bytes_records?: number; empty_lines?: number };
    if (typeof err.bytes_records === 'number') prevEnd = Math.max(prevEnd, err.bytes_records);
    return { records, error: `${1 + lfBefore(prevEnd) + ((err.empty_lines ?? prevEmpty) - prevEmpty)}: ${err.message.replace(/ (at|on) line \d+/g, '')}` };
  }
  return { records, error: null };
}

/** The fast reader, fed in pieces cut at the given fractions (at whole UTF-8 characters). */
function subject(input: Buffer, cuts: number[], expectScannerOnly = false, delimiter: Delimiter = ',', viaLines = false): Outcome {
  const records: Outcome['records'] = [];
  // viaLines: the common records come as lines (what the usage fold reads in place), cut here
  const onLine = viaLines
    ? (line: number, s: string, start: number, end: number) => {
        const text = s.slice(start, end);
        // a line handed over is one line: no quote, no CR, no LF, and not empty
        if (/["\r\n]/.test(text) || text === '') throw new Error(`not a plain line: ${JSON.stringify(text)}`);
        records.push([line, text.split(delimiter)]);
      }
    : undefined;
  const reader = new RecordReader((line, fields) => records.push([line, fields]), undefined, false, delimiter, onLine);
  let at = 0;
  for (const f of [...cuts].sort((a, b) => a - b)) {
    const end = at + completeUtf8Length(input.subarray(at, Math.max(at, Math.floor(f * input.length))));
    reader.write(input.subarray(at, end));
    at = end;
  }
  reader.write(input.subarray(at));
  reader.end();
  if (expectScannerOnly) expect(reader.handedOver).toBe(false);
  return { records, error: reader.problem ? `${reader.problem.line}: ${reader.problem.message}` : null };
}

const piece = fc.constantFrom('a', 'b', 'x y', 'é', '😀', ',', ',', '"', '""', '\n', '\n', '\r\n', '\r', ' ', '\uFEFF', '\t', '1.5');
const anyText = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));

const plainField = fc.array(fc.constantFrom('a', 'B', '0', ' ', 'é', '😀', '-', '\t', '\r'), { maxLength: 6 }).map((a) => a.join('').replace(/\r$/, ''));
const quotedField = fc
  .array(fc.constantFrom('a', ',', '""', '\n', '\r\n', '\r', ' ', 'é', ''), { maxLength: 6 })
  .map((a) => `"${a.join('')}"`);
const field = fc.oneof({ weight: 4, arbitrary: plainField }, { weight: 1, arbitrary: quotedField });
const record = fc.array(field, { minLength: 1, maxLength: 5 }).map((fs) => fs.join(','));
const wellFormed = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(record, fc.constantFrom('\n', '\r\n', '\n\n', '\r\n\r\n', '\n\r\n')), { maxLength: 12 }),
    fc.boolean(),
  )
  .map(([bom, rs, trailing]) => {
    let s = rs.map(([r, d]) => r + d).join('');
    if (!trailing) s = s.replace(/(\r?\n)+$/, '');
    return (bom ? '\uFEFF' : '') + s;
  });

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

/** The same shapes with another delimiter: every comma of the generated text becomes it (commas as data come from `,` pieces). */
const otherPiece = fc.constantFrom('a', 'x y', 'é', ',', ';', ';', '\t', '\t', '"', '""', '\n', '\r\n', '\r', '\uFEFF', '95,2');
const otherText = fc.array(otherPiece, { maxLength: 60 }).map((a) => a.join(''));
const wellFormedWith = (d: Delimiter) =>
  fc
    .array(fc.array(fc.oneof({ weight: 4, arbitrary: plainField.map((f) => f.replace(/\t/g, ' ')) }, { weight: 1, arbitrary: quotedField }), { minLength: 1, maxLength: 5 }), { maxLength: 12 })
    .map((rs) => rs.map((fs) => fs.join(d)).join('\r\n'));

describe('RecordReader (fast scanner, csv-parse where it cannot decide)', () => {
  it('gives the records, lines and errors of csv-parse on any text', () => {
    fc.assert(
      fc.property(anyText, cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs)).toEqual(reference(input));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the records and lines of csv-parse on well-formed CSV (quotes, CRLF, BOM, empty lines)', () => {
    fc.assert(
      fc.property(wellFormed, cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        // and reads them all itself: csv-parse is only for what is not CSV
        expect(subject(input, cs, true)).toEqual(reference(input));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([';', '\t'] as Delimiter[])('with %j as the delimiter, gives what csv-parse gives with it, on any text and on well-formed CSV', (d) => {
    fc.assert(
      fc.property(otherText, cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, false, d)).toEqual(reference(input, d));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(wellFormedWith(d), cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, true, d)).toEqual(reference(input, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands the common records over as lines whose cells are the records csv-parse gives, on any text and any cuts', () => {
    fc.assert(
      fc.property(anyText, cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, false, ',', true)).toEqual(reference(input));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(wellFormed, cuts, (text, cs) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, true, ',', true)).toEqual(reference(input));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(otherText, cuts, fc.constantFrom<Delimiter>(';', '\t'), (text, cs, d) => {
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, false, d, true)).toEqual(reference(input, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a piece after a cut inside a record as it reads it whole (the record across the cut completed on its own)', () => {
    // pieces cut in the middle of lines, of quoted cells with line breaks, of CRLFs, and of an unclosed quote at the end
    const text = 'a,b\nr1,"x\ny"\r\nr2,z\nr3,"unclosed\n';
    const input = Buffer.from(text, 'utf8');
    for (let i = 1; i < input.length; i++) {
      for (let j = i; j < input.length; j++) {
        expect(subject(input, [i / input.length, j / input.length], false, ',', true)).toEqual(reference(input));
      }
    }
  });

  it('reads a large chunk in pieces cut at line breaks, and hands the rest of it to csv-parse from the record it cannot decide', () => {
    // chunks of a few hundred kilobytes (the reader cuts them into pieces of up to 96 KiB at line
    // breaks): quoted cells with line breaks across the pieces, long lines, a record csv-parse refuses,
    // and one it accepts that is too long for the scanner (csv-parse then reads on to the end)
    const line = (i: number) => (i % 97 === 0 ? `r${i},"two\nlines, ""quoted""",${i}\r\n` : i % 1001 === 0 ? `r${i},${'x'.repeat(100_000)},${i}\n` : `r${i},plain,${i}\n`);
    const rows = Array.from({ length: 6_000 }, (_, i) => line(i));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: rows.length }), fc.constantFrom('', 'r,x"y,1\n', 'r,"open\n', '"a"b,1\n', `r,${'y'.repeat(400_000)},1\n`), cuts, (at, bad, cs) => {
        const text = [...rows.slice(0, at), bad, ...rows.slice(at)].join('');
        const input = Buffer.from(text, 'utf8');
        expect(subject(input, cs, false, ',', true)).toEqual(reference(input));
      }),
      { numRuns: 8 },
    );
  });

  it('splits on the delimiter it is given, and keeps commas as data then (hand-written)', () => {
    const text = '\uFEFFrecord_id;duration_seconds\r\nr1;95,2\r\n"r;2";"1,5"\r\n';
    const got = subject(Buffer.from(text, 'utf8'), [0.5], true, ';');
    expect(got).toEqual({
      records: [
        [1, ['record_id', 'duration_seconds']],
        [2, ['r1', '95,2']],
        [3, ['r;2', '1,5']],
      ],
      error: null,
    });
    const tab = subject(Buffer.from('a\tb,c\n"x\ty"\tz\n', 'utf8'), [], true, '\t');
    expect(tab.records).toEqual([
      [1, ['a', 'b,c']],
      [2, ['x\ty', 'z']],
    ]);
  });

  it.each([
    ['empty input', ''],
    ['only a byte-order mark', '\uFEFF'],
    ['a byte-order mark, then an unclosed quote', '\uFEFF"a,b\nc'],
    ['a quote inside an unquoted field on line 3', 'a,b\n\nc,d"e\nf'],
    ['text after a closing quote', 'a\n"b"c,d\n'],
    ['a closing quote before a lone CR at the end', 'a\n"b"\r'],
    ['quoted line breaks before a bad row', '"a\r\nb",c\n"d\ne",f\ng,"h"x\n'],
    ['CRLF inside quoted fields, then a bad row', 'id,n\r\na,"x\r\ny"\r\nb,p"q\r\n'],
    ['lone CRs (data, which csv-parse counts as lines and callbill does not)', 'a\rb,c\r\r\nd\r\n"e\r"\nf'],
    ['a quoted empty line', 'a\n""\n\nb'],
    ['a BOM in the middle', 'a\n\uFEFFb,c\n'],
  ])('%s', (_name, text) => {
    const input = Buffer.from(text, 'utf8');
    for (let k = 0; k <= input.length; k++) expect(subject(input, [k / Math.max(1, input.length)])).toEqual(reference(input));
  });

  it('leaves records near the size limit to csv-parse, which accepts or refuses them as before', () => {
    const near = 'h1,h2\n' + 'x'.repeat(Math.floor(MAX_RECORD_CHARS / 3) + 10) + ',y\nz,w\n';
    expect(subject(Buffer.from(near), [0.3, 0.6])).toEqual(reference(Buffer.from(near)));
    const over = 'h1,h2\n"' + 'é'.repeat(MAX_RECORD_CHARS) + '"\nz,w\n';
    const r = subject(Buffer.from(over), [0.5]);
    expect(r).toEqual(reference(Buffer.from(over)));
    expect(r.error).toMatch(/^2: Max Record Size/);
  });

  it('never holds more than a record: an unclosed quote is handed over at the limit', () => {
    const s = new CsvScanner(MAX_RECORD_CHARS);
    const chunk = 'a'.repeat(100_000);
    let ok = s.feed('h\n"', false, () => {});
    for (let i = 0; ok && i < 10; i++) ok = s.feed(chunk, false, () => {});
    expect(ok).toBe(false);
    expect(s.stop?.line).toBe(2);
  });
});
