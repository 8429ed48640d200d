import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataError } from '../../src/errors';
import { loadProfile } from '../../src/import';
import type { MappedRecord } from '../../src/import';
import { readProfiledInput } from '../../src/io/read-profiled';
import { Zone } from '../../src/time/zone';

const UTC = new Zone('UTC');

/**
 * The import-profile reader (merged from main) had the usage reader's two faults that the
 * fuzzer found (issue #6): csv-parse's line count drifts after a CRLF inside a quoted cell,
 * and its error arrives a tick late, so a 100 MB line was read to its end. Same fix here.
 */
const ROOT = join(__dirname, '..', '..');
const [header, row] = readFileSync(join(ROOT, 'fixtures/import/twilio/calls.csv'), 'utf8').split('\n') as [string, string];

async function lines(text: string): Promise<Array<[number, boolean]>> {
  const out: Array<[number, boolean]> = [];
  await readProfiledInput('calls.csv', loadProfile('twilio'), UTC, (m: MappedRecord) => out.push([m.line, m.ok]), () => undefined, undefined, () => Readable.from([Buffer.from(text)]));
  return out;
}

describe('readProfiledInput: the line a record starts on', () => {
  it('counts a CRLF inside a quoted cell as one line (a caller name on two lines)', async () => {
    const twoLines = row.replace(/,,\/2010-04-01/, ',"Caller\r\nName",/2010-04-01');
    expect(twoLines).not.toBe(row);
    const bad = row.replace(/^CA599c3a7d0cd8758cfe51ee8af769d6f0/, 'CA599c3a7d0cd8758cfe51ee8af769d6f1').replace(',125,', ',abc,');
    const text = [header, twoLines, bad].join('\r\n') + '\r\n';
    // header 1, the two-line record 2–3, the bad one 4 (csv-parse said 5)
    expect(await lines(text)).toEqual([
      [2, true],
      [4, false],
    ]);
  });
});

describe('readProfiledInput: a record longer than 1 MiB', () => {
  it('stops reading at once instead of reading a 100 MB line to its end', async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(1 << 16, 'A'.charCodeAt(0));
    const open = () =>
      Readable.from(
        (function* () {
          yield Buffer.from(header + '\nCA1,');
          for (let i = 0; i < (100 << 20) / chunk.length; i++) {
            pulled += chunk.length;
            yield chunk;
          }
        })(),
      );
    let err: unknown;
    try {
      await readProfiledInput('calls.csv', loadProfile('twilio'), UTC, () => undefined, () => undefined, undefined, open);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe('calls.csv:2: not a readable CSV file: Max Record Size: record exceed the maximum number of tolerated bytes of 1048576');
    expect(pulled).toBeLessThan(4 << 20);
  });
});

describe('readProfiledInput: what the caller throws comes out as it is', () => {
  class Enough extends Error {}
  // freeswitch trims blanks before fields (csv.ltrim: csv-parse reads the file), twilio does not (the fast scanner)
  it.each([
    ['freeswitch', 'fixtures/import/freeswitch/Master.csv'],
    ['twilio', 'fixtures/import/twilio/calls.csv'],
  ])('%s: a stop after the first row is the caller\'s error, not a CSV problem', async (name, file) => {
    const seen: MappedRecord[] = [];
    const run = readProfiledInput(join(ROOT, file), loadProfile(name), UTC, (m) => {
      seen.push(m);
      throw new Enough();
    }, () => undefined);
    await expect(run).rejects.toBeInstanceOf(Enough);
    expect(seen).toHaveLength(1);
  });
});
