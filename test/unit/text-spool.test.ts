import { RecordSpool, TextSpool } from '../../src/pipeline/spool';

/**
 * What waits for the end of a run (standard output's text, the documents `issue`
 * stores) goes to an unnamed temporary file past 1 M characters: it must come back as
 * it went in, characters of several bytes cut across the file's read pieces included.
 */
it('standard output comes back whole, in memory and past the spill to disk', () => {
  for (const size of [10, 200_000]) {
    const t = new TextSpool();
    const parts: string[] = [];
    for (let i = 0; i < size; i++) {
      // 1-, 2-, 3- and 4-byte characters, so that some fall across a 1 MiB boundary
      const s = `${i},Atlântico €${i % 7 === 0 ? '😀' : ''};\n`;
      parts.push(s);
      t.write(s);
    }
    expect([...t.chunks()].join('')).toBe(parts.join(''));
  }
});

it('records come back in order, as often as they are read', () => {
  const spool = new RecordSpool<{ n: bigint; s: string }>('records', (r) => ({ n: r.n.toString(), s: r.s }), (d) => ({ n: BigInt((d as { n: string }).n), s: (d as { s: string }).s }));
  const want: Array<{ n: bigint; s: string }> = [];
  for (let i = 0; i < 40_000; i++) {
    const r = { n: 2n ** 70n + BigInt(i), s: `line\nbreak "${i}" é😀`.repeat(1 + (i % 3)) };
    want.push(r);
    spool.add(r);
  }
  expect([...spool]).toEqual(want);
  expect([...spool]).toEqual(want);
  spool.discard();
});
