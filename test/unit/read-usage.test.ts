import { Readable } from 'node:stream';
import { DataError } from '../../src/errors';
import { NewlineIndex } from '../../src/io/newline-index';
import { readUsageInput } from '../../src/io/read-usage';
import { MAX_RECORD_CHARS } from '../../src/io/record-reader';

/** Reads `bytes` in the given chunks and returns [line, first cell] of every row (and the header's line). */
async function lines(bytes: Buffer, chunkSizes: number[] = [bytes.length]): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  const chunks: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  await readUsageInput('u.csv', 0, {
    header: (_i, fields, line) => {
      out.push([line, `header:${fields[0]}`]);
      return [];
    },
    row: (_i, line, fields) => out.push([line, fields[0] ?? '']),
  }, { open: () => Readable.from(chunks) });
  return out;
}

async function failure(bytes: Buffer | (() => Readable)): Promise<string> {
  try {
    await readUsageInput('u.csv', 0, { header: () => [], row: () => undefined }, { open: typeof bytes === 'function' ? bytes : () => Readable.from([bytes]) });
  } catch (e) {
    if (e instanceof DataError) return e.lines().join('\n');
    throw e;
  }
  throw new Error('read without error');
}

describe('readUsageInput: the line a record starts on (SPEC §6 file:line)', () => {
  // found by the fuzzer's hostile-output test: csv-parse counts CRLF inside a quoted cell as
  // two lines and a lone CR as one, so every row after a multi-line note was reported a line late
  const crlf = Buffer.from('id,notes\r\na,"one\r\ntwo"\r\nb,x\r\n\r\nc,"3\r\n4\r\n5"\r\nd,\r\n');

  it('counts a CRLF inside a quoted cell as one line', async () => {
    expect(await lines(crlf)).toEqual([[1, 'header:id'], [2, 'a'], [4, 'b'], [6, 'c'], [9, 'd']]);
  });

  it('gives the same lines however the file is cut into chunks', async () => {
    const want = await lines(crlf);
    for (let size = 1; size <= 12; size++) expect(await lines(crlf, [size])).toEqual(want);
    expect(await lines(crlf, [3, 1, 7, 2])).toEqual(want);
  });

  describe('a problem in the middle of a large piece (decoded and scanned in smaller pieces)', () => {
    // ~300 KB: one read piece holds several text pieces, so the scanner stops inside one
    // and csv-parse must read on from the record it stopped at, then from the rest of the piece
    const rows = Array.from({ length: 6000 }, (_, i) => `r${i},"quoted, ${i}",${'x'.repeat(30)}`);
    const cases: Array<[string, string]> = [
      ['a quote inside an unquoted field', 'bad,ab"c,d'],
      ['a character after a closing quote', 'bad,"ab"c,d'],
      ['a quoted cell with line breaks, then a stray quote', 'ok,"one\ntwo",x\nbad,a"b,c'],
    ];
    it.each(cases)('%s: the same rows, line and message read whole or in small chunks', async (_what, trouble) => {
      const text = ['id,notes,pad', ...rows.slice(0, 2500), trouble, ...rows.slice(2500)].join('\n') + '\n';
      const bytes = Buffer.from(text);
      const whole = await failure(bytes);
      expect(whole).toMatch(/^u\.csv:\d+: /);
      const small = await failure(() => Readable.from(Array.from({ length: Math.ceil(bytes.length / 1000) }, (_, k) => bytes.subarray(1000 * k, 1000 * (k + 1)))));
      expect(whole).toBe(small);
      // the rows before the problem are all read, whichever way
      const seen: number[] = [];
      await readUsageInput('u.csv', 0, { header: () => [], row: (_i, line) => seen.push(line) }, { open: () => Readable.from([bytes]) }).catch(() => undefined);
      expect(seen.length).toBeGreaterThanOrEqual(2500);
    });
  });

  it('does not count a lone CR (not a line break for grep -n or sed) ', async () => {
    expect(await lines(Buffer.from('id,n\na,"x\ry"\nb,p\rq\nc,\n'))).toEqual([[1, 'header:id'], [2, 'a'], [3, 'b'], [4, 'c']]);
  });

  it('counts skipped blank lines, a BOM changes nothing', async () => {
    expect(await lines(Buffer.from('\ufeffid,n\n\n\na\n\r\nb\n'))).toEqual([[1, 'header:id'], [4, 'a'], [6, 'b']]);
  });

  it('locates a CSV syntax error on the line of its record, after multi-line cells', async () => {
    expect(await failure(Buffer.from('id,n\r\na,"x\r\ny"\r\nb,p"q\r\n'))).toBe('u.csv:4: not a readable CSV file: Invalid Opening Quote: a quote is found on field 1, value is "p"');
  });

  it('locates invalid UTF-8 on its own line, also right after a line break', async () => {
    expect(await failure(Buffer.from([...Buffer.from('id,n\n"a\r\nb"\n'), 0xff, 0x0a]))).toBe('u.csv:4: not valid UTF-8 (save the export as UTF-8)');
    expect(await failure(Buffer.from([...Buffer.from('id,n\nab'), 0xc3, 0x28, 0x0a]))).toBe('u.csv:2: not valid UTF-8 (save the export as UTF-8)');
    expect(await failure(Buffer.from([...Buffer.from('id,n\nab\n'), 0xe2, 0x82]))).toBe('u.csv:3: not valid UTF-8: the file ends inside a character');
  });
});

describe('readUsageInput: a record longer than 1 MiB characters', () => {
  it('stops reading at once instead of buffering a 100 MB line', async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(1 << 16, 'A'.charCodeAt(0));
    const hundredMb = () =>
      Readable.from(
        (function* () {
          yield Buffer.from('id,customer_id\nr1,');
          for (let i = 0; i < (100 << 20) / chunk.length; i++) {
            pulled += chunk.length;
            yield chunk;
          }
        })(),
      );
    expect(await failure(hundredMb)).toBe(`u.csv:2: not a readable CSV file: Max Record Size: record exceed the maximum number of tolerated bytes of ${MAX_RECORD_CHARS}`);
    // it stops early: what was read, not how long it took (no test depends on speed)
    expect(pulled).toBeLessThan(4 << 20);
  });
});

describe('NewlineIndex', () => {
  it('answers newlines before an offset across chunks', () => {
    const idx = new NewlineIndex();
    idx.push(Buffer.from('a\nb'));
    idx.push(Buffer.from('\n\nc'));
    idx.push(Buffer.from('\n'));
    expect([idx.before(0), idx.before(1), idx.before(2), idx.before(4), idx.before(5), idx.before(6), idx.before(7), idx.fed]).toEqual([0, 0, 1, 2, 3, 3, 4, 4]);
  });
});
