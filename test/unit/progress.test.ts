import { PROGRESS_MIN_BYTES, progressLine, startProgress, wantProgress } from '../../src/pipeline/progress';

describe('wantProgress', () => {
  const tty = { write: () => true, isTTY: true };
  it('shows for a large input on a terminal', () => {
    expect(wantProgress(false, tty, {}, PROGRESS_MIN_BYTES, false)).toBe(true);
    expect(wantProgress(false, tty, {}, 0, true)).toBe(true); // standard input: size unknown
  });
  it('never with -q, off a terminal, under CI, or for a small input', () => {
    expect(wantProgress(true, tty, {}, PROGRESS_MIN_BYTES, false)).toBe(false);
    expect(wantProgress(false, { write: () => true, isTTY: false }, {}, PROGRESS_MIN_BYTES, false)).toBe(false);
    expect(wantProgress(false, tty, { CI: 'true' }, PROGRESS_MIN_BYTES, false)).toBe(false);
    expect(wantProgress(false, tty, { CI: '' }, PROGRESS_MIN_BYTES, false)).toBe(false);
    expect(wantProgress(false, tty, {}, PROGRESS_MIN_BYTES - 1, false)).toBe(false);
  });
});

describe('progressLine', () => {
  it('says records, share of bytes, rate and time left, with a bar', () => {
    // 250,000 records and a quarter of 61.3 MB in 2 s: 125,000/s, 6 s to go
    expect(progressLine(250_000, 15_325_000, 61_300_000, 2000, 100)).toBe(
      '[########......................] 250,000 records  25% of 61.3 MB  125,000/s  ETA 0:06',
    );
  });
  it('drops the bar, then cuts the line, on a narrow terminal', () => {
    expect(progressLine(250_000, 15_325_000, 61_300_000, 2000, 60)).toBe('250,000 records  25% of 61.3 MB  125,000/s  ETA 0:06');
    expect(progressLine(250_000, 15_325_000, 61_300_000, 2000, 20)).toHaveLength(19);
  });
  it('without a known size (standard input) shows what was read and the rate', () => {
    expect(progressLine(3_000, 200_000, 0, 1500, 80)).toBe('3,000 records  0.2 MB read  2,000/s');
  });
  it('shows hours when there are', () => {
    expect(progressLine(1, 1_000, 10_000, 440_000, 100)).toMatch(/ETA 1:06:00$/);
  });
});

describe('startProgress', () => {
  it('draws nothing in the first half second, and clears only what it drew', () => {
    jest.useFakeTimers();
    let t = 0;
    const out: string[] = [];
    const p = startProgress({ write: (s: string) => out.push(s), isTTY: true, columns: 80 }, 1000, () => t);
    p.bytes(100);
    p.records(10);
    jest.advanceTimersByTime(400);
    t = 400;
    expect(out).toEqual([]);
    p.done();
    expect(out).toEqual([]);
    const q = startProgress({ write: (s: string) => out.push(s), isTTY: true, columns: 80 }, 1000, () => t);
    q.bytes(500);
    q.records(50);
    t = 1400;
    jest.advanceTimersByTime(1000);
    expect(out.at(-1)).toMatch(/^\r.*50 records  50% of 0\.0 MB.*\x1b\[K$/);
    q.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
    jest.useRealTimers();
  });
});
