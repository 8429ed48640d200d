import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../helpers/run-cli';

/**
 * Usage read from standard input is kept in a temporary file for a second reading (the
 * check of repeated record ids). That copy of someone's usage must never be left behind,
 * not even by `kill -9`, which no handler can catch: the file has no name while it is used.
 */
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
`;

let dir: string;
let tmp: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-spool-test-'));
  tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  writeFileSync(join(dir, 'prices.yaml'), PRICES);
});
afterEach(() => {
  // a failed expectation must not leave a run waiting on its standard input
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function rows(from: number, count: number): string {
  let s = '';
  for (let i = from; i < from + count; i++) s += `r${i},C${i % 7},voice,2026-10-0${1 + (i % 9)}T10:00:00Z,${30 + (i % 200)}\n`;
  return s;
}

function start(): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [builtCli(), 'invoice', '-q', '-p', join(dir, 'prices.yaml'), '--period', '2026-10', '--format', 'csv', '-'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', TMPDIR: tmp, NO_COLOR: '1' },
  });
  children.push(child);
  return child;
}

function written(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (e) => (e ? reject(e) : resolve())));
}

test('a run killed with SIGKILL while it reads standard input leaves nothing in the temporary folder', async () => {
  const child = start();
  child.stdout.resume();
  child.stderr.resume();
  const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, sig) => resolve(sig)));
  await written(child.stdin, 'record_id,customer_id,channel,started_at,duration_seconds\n');
  // far more than a pipe holds: once these writes are done the run has read (and kept) most of them
  for (let i = 0; i < 20; i++) await written(child.stdin, rows(i * 5000, 5000));
  // the run is still reading (stdin is open) and the copy it keeps must already be out of sight
  expect(readdirSync(tmp)).toEqual([]);
  child.kill('SIGKILL');
  expect(await exit).toBe('SIGKILL');
  expect(readdirSync(tmp)).toEqual([]);
}, 120_000);

test('the copy of standard input still gives the second reading: a repeated id is found and the run ends clean', async () => {
  const child = start();
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin.end('record_id,customer_id,channel,started_at,duration_seconds\n' + rows(0, 3000) + 'r17,C3,voice,2026-10-05T10:00:00Z,60\n');
  // r17 appears twice: both copies are rejected (found by the second reading of the kept copy)
  expect(await exit).toBe(65);
  expect(err).toMatch(/-:19: record_id: duplicate record id, also at -:3002/);
  expect(out).toBe('');
  expect(readdirSync(tmp)).toEqual([]);
}, 120_000);
