import { rmSync } from 'node:fs';
import { checkCase, keepFailure, randomCase, Rng, tempBase } from './fuzz-lib';

/**
 * `npm run fuzz`: the checks of fuzz.test.ts on random mutations for FUZZ_SECONDS
 * (default 300) with a fresh seed (or FUZZ_SEED to replay one), every 25th case also as
 * a real `node bin/callbill.js` run with a 256 MB heap. Failing cases are kept in
 * fuzz-failures/<id>/ with a README holding the arguments, the exit and stderr.
 */
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

it(`fuzzes callbill for ${SECONDS} s (seed ${SEED})`, async () => {
  const r = new Rng(SEED);
  const base = tempBase('cb-longfuzz-');
  const failures: string[] = [];
  const codes = new Map<number, number>();
  const seen = new Set<string>();
  const until = Date.now() + SECONDS * 1000;
  let n = 0;
  let maxHeap = 0;
  try {
    while (Date.now() < until) {
      const c = randomCase(r);
      const subprocess = n % 25 === 24;
      const { outcome, problems, dir } = await checkCase(c, base, { subprocess, heapMb: 256 });
      codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
      if (problems.length > 0) {
        const key = problems.map((p) => p.replace(/\d+/g, 'N').slice(0, 80)).join('|');
        if (!seen.has(key)) failures.push(`case ${n} (${c.name}${subprocess ? ', subprocess' : ''}): ${problems.join('; ')} — kept in ${keepFailure(c, outcome, problems, dir)}`);
        seen.add(key);
      }
      rmSync(dir, { recursive: true, force: true });
      n++;
      if (n % 100 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`fuzz: seed ${SEED}, ${n} cases in ${SECONDS} s, exits ${JSON.stringify(Object.fromEntries(codes))}, max heap ${(maxHeap / 2 ** 20).toFixed(0)} MB, ${failures.length} distinct failures`);
  expect(failures).toEqual([]);
  // the fuzzing process itself must not grow without bound (a leak in main() would show here)
  expect(maxHeap).toBeLessThan(1024 * 2 ** 20);
}, (SECONDS + 120) * 1000);
