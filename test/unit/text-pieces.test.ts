import fc from 'fast-check';
import { forEachTextPiece } from '../../src/io/utf8';

/**
 * A worker decodes its chunk in pieces cut at line ends (so that each text is a small heap
 * object): the pieces must be the chunk's text, in order, never cutting a character.
 */
const text = fc
  .array(fc.oneof(fc.constantFrom('\n', '\r\n', ',', '"', 'é', '€', '𝄞', 'x'.repeat(50)), fc.string({ maxLength: 40 })), { maxLength: 8000 })
  .map((parts) => parts.join(''));

describe('forEachTextPiece', () => {
  it('gives the whole text, in pieces that end at a line break or at the end', () => {
    fc.assert(
      fc.property(text, (t) => {
        const b = Buffer.from(t, 'utf8');
        const pieces: string[] = [];
        const lasts: boolean[] = [];
        expect(
          forEachTextPiece(b, (s, last) => {
            pieces.push(s);
            lasts.push(last);
            return true;
          }),
        ).toBe(-1);
        expect(pieces.join('')).toBe(t);
        pieces.slice(0, -1).forEach((p) => expect(p.endsWith('\n')).toBe(true));
        expect(lasts.filter(Boolean)).toHaveLength(1);
        expect(lasts[lasts.length - 1]).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('cuts a long text into pieces of about 96 KiB, and a line longer than that stays whole', () => {
    const line = 'a,b,c,' + 'd'.repeat(1000) + '\n';
    const b = Buffer.from(line.repeat(1000) + 'e'.repeat(300_000) + '\n' + line.repeat(10));
    const sizes: number[] = [];
    forEachTextPiece(b, (s) => (sizes.push(s.length), true));
    expect(sizes.slice(0, 5).every((n) => n > 90_000 && n <= 96 * 1024)).toBe(true);
    expect(sizes.some((n) => n > 300_000)).toBe(true);
    expect(sizes.reduce((a, n) => a + n, 0)).toBe(b.length);
  });

  it('stops at the piece refused and says where it ends', () => {
    const b = Buffer.from(('x'.repeat(99) + '\n').repeat(3000));
    let n = 0;
    const end = forEachTextPiece(b, () => ++n < 2);
    expect(n).toBe(2);
    expect(end).toBeGreaterThan(96 * 1024);
    expect(end).toBeLessThan(b.length);
    expect(b[end - 1]).toBe(10);
  });

  it('gives an empty input as one empty, last piece', () => {
    const got: Array<[string, boolean]> = [];
    forEachTextPiece(Buffer.alloc(0), (s, last) => (got.push([s, last]), true));
    expect(got).toEqual([['', true]]);
  });
});
