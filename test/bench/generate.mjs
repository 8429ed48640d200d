// Deterministic generator of a month of contact-centre usage (SPEC §2) for the
// bench. Same (rows, seed) → byte-identical file; no Math.random anywhere.
//
//   node test/bench/generate.mjs <out.csv> [rows] [seed]
//
// The month is October 2026 in Europe/Lisbon: summer time (UTC+1) until
// 2026-10-25 01:00 UTC, then UTC+0. Every record starts inside that local
// month, so `--period 2026-10` skips none of them.

import fs from 'node:fs';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

export const HEADER =
  'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,' +
  'status,diversion,destination,diverted_seconds';

export const CUSTOMERS = Array.from({ length: 50 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);

/** sfc32 (Small Fast Counter), 128-bit state, seeded through splitmix32. */
export function prng(seed) {
  let s = seed >>> 0;
  const splitmix32 = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32(), b = splitmix32(), c = splitmix32(), d = splitmix32();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  /** uniform in [0, 1) */
  return () => next() / 4294967296;
}

const HOUR = 3600_000;
/** Lisbon leaves summer time at 2026-10-25T01:00:00Z (02:00 WEST → 01:00 WET): local
/** wall-clock times (held as if UTC) from this one on are WET (+00:00);
 * 01:00–02:00 local on the 25th happens twice: we mean the earlier (WEST),
 * the "compatible" reading that SPEC §2 prescribes. */
const DST_END_WALL = Date.UTC(2026, 9, 25, 2, 0, 0);

const datePrefix = new Map();
/** `YYYY-MM-DDTHH:MM:SS` of a UTC epoch-ms, without a Date per row (it is the hot path). */
function isoSeconds(ms) {
  const day = Math.floor(ms / 86400_000);
  let p = datePrefix.get(day);
  if (p === undefined) datePrefix.set(day, (p = new Date(day * 86400_000).toISOString().slice(0, 11)));
  const sod = Math.floor((ms - day * 86400_000) / 1000);
  const h = (sod / 3600) | 0, m = ((sod % 3600) / 60) | 0, sec = sod % 60;
  return p + (h < 10 ? '0' : '') + h + (m < 10 ? ':0' : ':') + m + (sec < 10 ? ':0' : ':') + sec;
}
function digits(rand, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += (rand() * 10) | 0;
  return s;
}
/** exponential with the given mean */
function expo(rand, mean) {
  return -mean * Math.log(1 - rand());
}
/** a duration as the platform exports it: mostly whole seconds, some fractions */
function seconds(rand, x) {
  const u = rand();
  if (u < 0.15) return (Math.floor(x * 10) / 10).toFixed(1); // 95.2
  if (u < 0.2) return (Math.floor(x * 100) / 100).toFixed(2); // 61.25
  return String(Math.floor(x));
}

// Realistic international destinations, in the shapes exports really use.
// Prefixes 44, 351, 1242 and 1 are priced in bench-prices.yaml; 49 and 33 fall
// to default_per_minute.
const INTERNATIONAL = [
  (r) => `+44 20 7946 ${digits(r, 4)}`,
  (r) => `+44 (0)161 496 ${digits(r, 4)}`.replace('(0)', ''),
  (r) => `00351 21 ${digits(r, 3)} ${digits(r, 4)}`,
  (r) => `+351 22-${digits(r, 3)}-${digits(r, 4)}`,
  (r) => `+1 (242) 555-${digits(r, 4)}`,
  (r) => `+1 212.555.${digits(r, 4)}`,
  (r) => `001 (415) 555-${digits(r, 4)}`,
  (r) => `+49 30 ${digits(r, 7)}`,
  (r) => `0033 1 ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
];
const MOBILE = [(r) => `+351 91 ${digits(r, 3)} ${digits(r, 4)}`, (r) => `96${digits(r, 7)}`, () => ''];

/** Rows per block. Each block has its own PRNG stream, seeded from (seed, block
 * number), so the file does not depend on how many threads wrote it. */
export const BLOCK_ROWS = 65536;

// Customers: a skewed book (a few big accounts, a long tail), weights 1/k^0.8.
const CUM = [];
let CUM_TOTAL = 0;
for (let k = 1; k <= CUSTOMERS.length; k++) CUM.push((CUM_TOTAL += 1 / Math.pow(k, 0.8)));

/** First row index of the next day, for each day of October, for `rows` rows in all.
 * Weekends are quieter; rows go to days in proportion, so the file runs in day
 * order (as platform exports do) while the records within a day are not sorted. */
function dayEnds(rows) {
  const w = [];
  for (let d = 1; d <= 31; d++) {
    const dow = new Date(Date.UTC(2026, 9, d)).getUTCDay();
    w.push(dow === 0 ? 0.35 : dow === 6 ? 0.5 : 1);
  }
  const sum = w.reduce((a, b) => a + b, 0);
  const ends = [];
  let acc = 0;
  for (let d = 0; d < 31; d++) ends.push(Math.round(((acc += w[d]) / sum) * rows));
  return ends;
}

/** The text (ASCII) of block `block` of a `rows`-row file, without the header. */
export function generateBlock(rows, seed, block) {
  const rand = prng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(block + 1, 0x85ebca77)) >>> 0);
  const pickCustomer = () => {
    const x = rand() * CUM_TOTAL;
    let lo = 0, hi = CUM.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (CUM[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return CUSTOMERS[lo];
  };
  const dayEnd = dayEnds(rows);
  const first = block * BLOCK_ROWS;
  const last = Math.min(rows, first + BLOCK_ROWS);
  // Each row is one short string copied into the block's buffer. Joining rows
  // into big strings first, or copying fields char by char, was 1.5-3x slower
  // (rope flattening and GC).
  const out = Buffer.allocUnsafe((last - first) * 200);
  let pos = 0;
  let day = 0;
  for (let i = first; i < last; i++) {
    while (i >= dayEnd[day]) day++;
    const tod =
      rand() < 0.85 ? 8 * 3600 + Math.floor(rand() * 12 * 3600) : Math.floor(rand() * 24 * 3600);
    const wall = Date.UTC(2026, 9, day + 1) + tod * 1000;
    const offH = wall < DST_END_WALL ? 1 : 0;
    const local = isoSeconds(wall); // wall clock, formatted as if UTC
    let started;
    const f = rand();
    if (f < 0.4) started = isoSeconds(wall - offH * HOUR) + 'Z';
    else if (f < 0.7) started = local + (offH ? '+01:00' : '+00:00');
    else if (f < 0.9) started = local;
    else started = local.slice(0, 10) + ' ' + local.slice(11);

    const voice = rand() < 0.7;
    const c = rand();
    const channel = voice
      ? c < 0.97 ? 'voice' : c < 0.99 ? 'Voice' : 'VOICE'
      : c < 0.97 ? 'chat' : 'Chat';

    const s = rand();
    const abandoned = s < 0.03;
    const status = abandoned ? 'abandoned' : s < 0.85 ? 'answered' : '';

    let duration;
    if (abandoned) duration = rand() < 0.6 ? '0' : String((rand() * 40) | 0);
    else if (rand() < 0.01) duration = '0';
    else duration = seconds(rand, voice ? 8 + expo(rand, 230) : 20 + expo(rand, 520));

    const r = rand();
    const response =
      r < 0.02 ? '' : r < 0.9 ? String(Math.floor(expo(rand, voice ? 14 : 38))) : expo(rand, voice ? 14 : 38).toFixed(1);

    let diversion = '', destination = '', diverted = '';
    if (voice) {
      const v = rand();
      if (v < 0.06) {
        diversion = 'mobile';
        destination = MOBILE[(rand() * MOBILE.length) | 0](rand);
      } else if (v < 0.1) {
        diversion = 'international';
        destination = INTERNATIONAL[(rand() * INTERNATIONAL.length) | 0](rand);
        if (rand() < 0.5) destination = '"' + destination + '"'; // exports quote some text cells
      } else if (v < 0.15) diversion = 'none';
      if (diversion === 'mobile' || diversion === 'international') {
        const dd = Number(duration);
        if (rand() < 0.5 && dd > 0) diverted = String(Math.floor(dd * (0.5 + rand() / 2)));
      }
    }

    pos += out.latin1Write(
      'R' + String(i + 1).padStart(8, '0') + ',' + pickCustomer() + ',' + channel + ',' + started + ',' +
        duration + ',' + response + ',' + status + ',' + diversion + ',' + destination + ',' + diverted + '\n',
      pos,
    );
  }
  return out.subarray(0, pos);
}

/**
 * Writes a `rows`-record file, the blocks made by up to `threads` worker
 * threads and written in order, then fsyncs it, so that no write-back of the
 * data is still going on when the timed runs start. Resolves to its size in bytes.
 */
export async function generateUsage(file, rows, seed = 20261001, threads = Math.min(4, os.availableParallelism())) {
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, HEADER + '\n');
    if (threads <= 1 || blocks < 4) {
      for (let b = 0; b < blocks; b++) fs.writeSync(fd, generateBlock(rows, seed, b));
    } else {
      const workers = Array.from({ length: Math.min(threads, blocks) }, () => new Worker(new URL(import.meta.url), { workerData: { rows, seed } }));
      try {
        const done = new Map(); // block → Buffer, waiting for its turn
        let next = 0; // next block to write
        let asked = 0; // next block to hand out
        await new Promise((resolve, reject) => {
          const ask = (w) => {
            // at most 2 blocks per thread ahead of the writer, to bound memory
            if (asked < blocks && asked < next + 2 * workers.length) w.postMessage(asked++);
          };
          for (const w of workers) {
            w.on('error', reject);
            w.on('message', ({ block, buf }) => {
              done.set(block, Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
              while (done.has(next)) {
                fs.writeSync(fd, done.get(next));
                done.delete(next++);
              }
              if (next === blocks) resolve();
              else for (const v of workers) ask(v);
            });
            ask(w);
          }
        });
      } finally {
        await Promise.all(workers.map((w) => w.terminate()));
      }
    }
    fs.fsyncSync(fd);
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

if (!isMainThread && workerData) {
  parentPort.on('message', (block) => {
    const buf = generateBlock(workerData.rows, workerData.seed, block);
    parentPort.postMessage({ block, buf }, [buf.buffer]);
  });
}

if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, rows = '1000', seed = '20261001'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node test/bench/generate.mjs <out.csv> [rows] [seed]');
    process.exit(64);
  }
  const t = process.hrtime.bigint();
  const size = await generateUsage(out, Number(rows), Number(seed));
  console.error(`${out}: ${rows} rows, ${size} bytes, ${Number(process.hrtime.bigint() - t) / 1e9} s`);
}
