/**
 * The progress line of long runs (SPEC §1: "Long runs show progress on stderr when
 * stderr is a TTY"): records read, share of the bytes read, rate and time left,
 * redrawn in place a few times a second. Never with -q, never when stderr is not
 * a terminal or CI is set (logs of scheduled jobs stay clean), and only for large
 * inputs, once a run has lasted long enough to be worth watching.
 */
export interface ProgressSink {
  bytes(n: number): void;
  records(n: number): void;
  /** A new pass over the inputs begins (the exact check of suspect ids). */
  pass(label: string): void;
  /** Clears the line; call before anything else is written to stderr. */
  done(): void;
}

/** Inputs smaller than this finish before a bar would tell anything. */
export const PROGRESS_MIN_BYTES = 16 << 20;
const FIRST_DRAW_MS = 500;
const REDRAW_MS = 200;

export interface ProgressTarget {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function wantProgress(quiet: boolean | undefined, stderr: ProgressTarget, env: NodeJS.ProcessEnv, totalBytes: number, stdin: boolean): boolean {
  if (quiet || !stderr.isTTY || env.CI !== undefined) return false;
  return stdin || totalBytes >= PROGRESS_MIN_BYTES;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

function fmtTime(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
  return (h > 0 ? `${h}:${String(m).padStart(2, '0')}` : String(m)) + ':' + String(sec).padStart(2, '0');
}

/** The text of one progress line (pure, for tests). `total` 0 = unknown (standard input). */
export function progressLine(records: number, bytes: number, total: number, elapsedMs: number, width: number, label = ''): string {
  const secs = elapsedMs / 1000;
  const rate = secs > 0 ? records / secs : 0;
  const parts = [`${label}${fmtInt(records)} records`];
  let bar = '';
  if (total > 0) {
    const share = Math.min(1, bytes / total);
    const left = share > 0 ? (secs * (1 - share)) / share : NaN;
    parts.push(`${Math.floor(share * 100)}% of ${(total / 1e6).toFixed(1)} MB`, `${fmtInt(rate)}/s`, `ETA ${fmtTime(left)}`);
    const room = Math.min(30, width - parts.join('  ').length - 6);
    if (room >= 10) {
      const full = Math.round(share * room);
      bar = `[${'#'.repeat(full)}${'.'.repeat(room - full)}] `;
    }
  } else {
    parts.push(`${(bytes / 1e6).toFixed(1)} MB read`, `${fmtInt(rate)}/s`);
  }
  const line = bar + parts.join('  ');
  return line.length >= width ? line.slice(0, Math.max(0, width - 1)) : line;
}

export function startProgress(stderr: ProgressTarget, totalBytes: number, now: () => number = Date.now): ProgressSink {
  let records = 0;
  let bytes = 0;
  let start = now();
  let label = '';
  let shown = false;
  const draw = (): void => {
    const t = now();
    if (!shown && t - start < FIRST_DRAW_MS) return;
    shown = true;
    stderr.write(`\r${progressLine(records, bytes, totalBytes, t - start, stderr.columns || 80, label)}\x1b[K`);
  };
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  return {
    bytes: (n) => {
      bytes += n;
    },
    records: (n) => {
      records += n;
    },
    pass: (l) => {
      records = 0;
      bytes = 0;
      start = now();
      label = l + ': ';
    },
    done: () => {
      clearInterval(timer);
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}
