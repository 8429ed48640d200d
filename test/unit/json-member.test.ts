import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonReadError, NotJsonError, readTopLevelMember } from '../../src/io/json-member';

/**
 * `verify` reads the audit of an invoices.json of gigabytes without holding the file:
 * the reader must take and refuse exactly the documents JSON.parse takes and refuses,
 * and give the value JSON.parse gives to the top level's member, whatever the size of
 * the pieces it reads the file in.
 */
const dir = mkdtempSync(join(tmpdir(), 'callbill-json-member-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string | Buffer): string {
  const p = join(dir, `f${n++}.json`);
  writeFileSync(p, text);
  return p;
}

/** What JSON.parse says of the text: the member's value, null when absent, or 'refused'. */
function oracle(text: string, key: string): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'refused';
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'refused';
  return Object.prototype.hasOwnProperty.call(doc, key) ? (doc as Record<string, unknown>)[key] : null;
}

function reader(path: string, key: string, piece?: number): unknown {
  try {
    const t = readTopLevelMember(path, key, piece);
    return t === null ? null : JSON.parse(t);
  } catch (e) {
    if (e instanceof NotJsonError) return 'refused';
    throw e;
  }
}

const DOC = JSON.stringify(
  {
    invoices: [{ invoice_number: 'A-1', audit: { not: 'this one' }, lines: [{ amount: '-1.50e2', seconds: 0, n: -0.5e-3 }] }, { q: 'a "quoted" \\ back\u00e9\ud83d\ude00 \u0001' }],
    totals: { EUR: { total: '10.00' } },
    control: { records_read: 12345678901234567890, ok: true, none: null, no: false, empty: [], obj: {} },
    audit: { command: 'invoice', numbers: ['1', '2'], nested: { deep: [[[]]] }, n: 1.5E+3 },
  },
  null,
  2,
) + '\n';

describe('readTopLevelMember', () => {
  it('gives the top-level member JSON.parse gives, in pieces of any size', () => {
    const p = file(DOC);
    for (const piece of [1, 2, 3, 7, 64, undefined]) {
      expect(reader(p, 'audit', piece)).toEqual(oracle(DOC, 'audit'));
      expect(reader(p, 'totals', piece)).toEqual(oracle(DOC, 'totals'));
      expect(reader(p, 'nothing', piece)).toBeNull();
    }
    // the one below the top level is not the member
    expect((reader(p, 'audit') as { command: string }).command).toBe('invoice');
  });

  it('refuses every cut of the document, as JSON.parse does', () => {
    for (let cut = 0; cut < DOC.length - 1; cut += 1) {
      const text = DOC.slice(0, cut);
      const p = file(text);
      expect([cut, reader(p, 'audit', 5)]).toEqual([cut, oracle(text, 'audit')]);
    }
  });

  it('takes and refuses what JSON.parse does when one character is changed', () => {
    const swaps = ['"', '\\', '{', '}', '[', ']', ',', ':', ' ', '0', '-', '.', 'e', 'x', '\u0001', 'n', 't'];
    let refused = 0;
    for (let at = 0; at < DOC.length; at += 3) {
      for (const s of swaps) {
        const text = DOC.slice(0, at) + s + DOC.slice(at + 1);
        const want = oracle(text, 'audit');
        if (want === 'refused') refused++;
        expect([at, s, reader(file(text), 'audit', 4)]).toEqual([at, s, want]);
      }
    }
    // the changes tried both kinds of document
    expect(refused).toBeGreaterThan(100);
  });

  it('the last of two members wins, an escaped key is the same key, a top level that is not an object is refused', () => {
    const two = '{"audit": 1, "x": [], "au\\u0064it": {"a": "b"}}';
    expect(reader(file(two), 'audit', 3)).toEqual({ a: 'b' });
    for (const text of ['[]', '"audit"', '12', 'null', '', '   ', '{}{}', '{} x', '\ufeff{}', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":1e}', '{"a":tru}', "{'a':1}", '{"a":1,}', '[1,]']) {
      expect([text, reader(file(text), 'audit', 2)]).toEqual([text, oracle(text, 'audit') === null ? null : 'refused']);
    }
    expect(reader(file('{"a": 1e5} \n'), 'a', 1)).toBe(100000);
    expect(reader(file('{"a": -0}'), 'a', 1)).toBe(-0);
  });

  it('a file that cannot be read is a read error, not a bad document', () => {
    expect(() => readTopLevelMember(join(dir, 'absent.json'), 'audit')).toThrow(JsonReadError);
    expect(() => readTopLevelMember(dir, 'audit')).toThrow(JsonReadError);
  });
});
