/**
 * Local time in the price list's IANA zone, fast enough for millions of records:
 * one Intl formatter per zone, and the UTC offset cached per 15-minute bucket
 * (a bucket that holds a DST transition remembers the exact instant of it).
 */

const BUCKET_MS = 15 * 60 * 1000;
const HOUR_MS = 3_600_000;
const HOUR_SLOTS = 4096;
export const DAY_MS = 86_400_000;

interface Bucket {
  before: number;
  after: number;
  /** First instant (ms) at which `after` applies; Infinity when the bucket has one offset. */
  at: number;
}

export function isValidTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** en-US with the options below: `09/21/2026 AD, 15:13:20`. */
const FORMATTED = /^(\d{2})\/(\d{2})\/(\d+) (AD|BC|A|B), (\d{2}):(\d{2}):(\d{2})$/;

/**
 * A zone's formatter and the offsets read through it, shared by every Zone of that name
 * in the process: a run makes several (the price list's check, the rating, the invoices)
 * and each would otherwise ask Intl again for the same buckets, some 6,000 calls a month.
 * The offsets of a zone do not change while the process runs.
 */
interface ZoneTable {
  fmt: Intl.DateTimeFormat;
  buckets: Map<number, Bucket>;
  /** Per day (UTC days of instants): its one offset, or NaN when a transition falls in it. */
  days: Map<number, number>;
}
const TABLES = new Map<string, ZoneTable>();
/** Buckets kept per zone (some thirty years of them) before the table starts again. */
const MAX_BUCKETS = 1 << 20;

function tableOf(name: string): ZoneTable {
  let t = TABLES.get(name);
  if (!t) {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    t = { fmt, buckets: new Map(), days: new Map() };
    TABLES.set(name, t);
  }
  return t;
}

export class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly buckets: Map<number, Bucket>;
  private readonly days: Map<number, number>;

  constructor(readonly name: string) {
    const t = tableOf(name);
    this.fmt = t.fmt;
    this.buckets = t.buckets;
    this.days = t.days;
  }

  /** Offset (local − UTC, ms) computed by Intl at whole second `t`. */
  private exactOffset(t: number): number {
    const s = Math.floor(t / 1000) * 1000;
    // format() and a regular expression cost a quarter of formatToParts(), which
    // was a tenth of a worker's time (a few thousand buckets a month, per thread);
    // any other shape of the text is read part by part as before
    const m = FORMATTED.exec(this.fmt.format(s));
    if (m) {
      let y = Number(m[3]);
      if (m[4] === 'BC' || m[4] === 'B') y = 1 - y;
      return utcMs(y, Number(m[1]), Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7])) - s;
    }
    return this.offsetByParts(s);
  }

  private offsetByParts(s: number): number {
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0, bc = false;
    for (const p of this.fmt.formatToParts(s)) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': se = Number(p.value); break;
        case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
        default: break;
      }
    }
    if (bc) y = 1 - y;
    const local = utcMs(y, mo, d, h, mi, se);
    return local - s;
  }

  private bucket(b: number): Bucket {
    let e = this.buckets.get(b);
    if (e) return e;
    const start = b * BUCKET_MS;
    const end = start + BUCKET_MS - 1000;
    const before = this.exactOffset(start);
    const after = this.exactOffset(end);
    if (before === after) {
      e = { before, after, at: Infinity };
    } else {
      // binary search the first second with the new offset
      let lo = start, hi = end;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.exactOffset(mid) === before) lo = mid;
        else hi = mid;
      }
      e = { before, after, at: hi };
    }
    if (this.buckets.size >= MAX_BUCKETS) {
      this.buckets.clear();
      this.days.clear();
    }
    this.buckets.set(b, e);
    return e;
  }

  // A direct-mapped cache in front of the Map: fromLocal looks at buckets a day
  // apart (96 buckets), which fall in different lines of 128.
  private readonly cacheKey = new Float64Array(128).fill(NaN);
  private readonly cacheVal: Bucket[] = new Array<Bucket>(128);

  /** Offset local − UTC in ms at instant `t`. */
  offsetAt(t: number): number {
    const b = Math.floor(t / BUCKET_MS);
    const k = b & 127;
    let e: Bucket;
    if (this.cacheKey[k] === b) {
      e = this.cacheVal[k]!;
    } else {
      e = this.bucket(b);
      this.cacheKey[k] = b;
      this.cacheVal[k] = e;
    }
    return t < e.at ? e.before : e.after;
  }

  /** Wall-clock ms (local fields read as if UTC) of instant `t`. */
  toLocal(t: number): number {
    return t + this.offsetAt(t);
  }

  /**
   * Instant of a local wall-clock time (fields as UTC ms), with ECMAScript Temporal's
   * "compatible" disambiguation (SPEC §2): a time in a DST gap moves forward by the
   * gap; a time that occurs twice takes the earlier instant.
   */
  fromLocal(local: number): number {
    const hour = Math.floor(local / HOUR_MS);
    const k = hour & (HOUR_SLOTS - 1);
    let o: number;
    if (this.hourKey[k] === hour) {
      o = this.hourOffset[k]!;
    } else {
      o = this.steadyOffset(hour);
      this.hourKey[k] = hour;
      this.hourOffset[k] = o;
    }
    return o === o ? local - o : this.fromLocalExact(local);
  }

  // Local hours and the offset that reads them (NaN: read the exact way), direct-mapped:
  // nearly every record of a month is read through it (744 hours in 4096 slots).
  private readonly hourKey = new Float64Array(HOUR_SLOTS).fill(NaN);
  private readonly hourOffset = new Float64Array(HOUR_SLOTS);

  private dayOffset(day: number): number {
    let o = this.days.get(day);
    if (o === undefined) {
      const first = (day * DAY_MS) / BUCKET_MS;
      o = this.bucket(first).before;
      for (let b = first; b < first + DAY_MS / BUCKET_MS; b++) {
        const e = this.bucket(b);
        if (e.at !== Infinity || e.before !== o) {
          o = NaN;
          break;
        }
      }
      this.days.set(day, o);
    }
    return o;
  }

  /**
   * The offset in force from a day before this local hour to a day after it, when it
   * is one offset all along (no transition in any 15-minute bucket of the days that
   * span covers); else NaN. Then fromLocalExact gives `local − offset` for every wall
   * time in the hour: both its candidates are that, and so is the offset at the
   * instant (offsets are less than a day).
   */
  private steadyOffset(hour: number): number {
    const first = Math.floor((hour * HOUR_MS - DAY_MS) / DAY_MS);
    const last = Math.floor(((hour + 1) * HOUR_MS + DAY_MS) / DAY_MS);
    const o = this.dayOffset(first);
    for (let d = first + 1; d <= last && o === o; d++) if (this.dayOffset(d) !== o) return NaN;
    return o;
  }

  private fromLocalExact(local: number): number {
    const oBefore = this.offsetAt(local - DAY_MS);
    const oAfter = this.offsetAt(local + DAY_MS);
    if (oBefore === oAfter) {
      const t = local - oBefore;
      if (this.offsetAt(t) === oBefore) return t;
    }
    const t1 = local - oBefore; // candidate with the earlier offset
    const t2 = local - oAfter; // candidate with the later offset
    const v1 = this.offsetAt(t1) === oBefore;
    const v2 = this.offsetAt(t2) === oAfter;
    if (v1 && v2) return Math.min(t1, t2); // overlap: the earlier instant
    if (v1) return t1;
    if (v2) return t2;
    // gap: read the wall time with the offset in force before it, which lands after the gap
    return t1;
  }
}

/**
 * Date.UTC without its two-digit-year quirk, by arithmetic (proleptic Gregorian
 * days from the civil date, as Date does): it runs once per record, and building a
 * Date was a tenth of the single-thread time (issue #5). Hours, minutes, seconds
 * and days past the month's end carry over linearly, as in Date.UTC.
 */
export function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  if (!(mo >= 1 && mo <= 12)) return utcMsByDate(y, mo, d, h, mi, s, ms);
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Gregorian civil date of a day number (days since 1970-01-01), written into `out` (H. Hinnant's civil_from_days). */
export function civilFromDays(z: number, out: { year: number; month: number; day: number }): void {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
}

/** The Date-based reading, for months out of range (and as the reference of a test). */
export function utcMsByDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = Date.UTC(2000, mo - 1, d, h, mi, s, ms);
  const dt = new Date(t);
  dt.setUTCFullYear(y);
  // setUTCFullYear keeps month/day; Feb 29 of a non-leap year would roll, callers validate dates first
  return dt.getTime();
}

/** Days since 1970-01-01 of a local wall-clock ms. */
export function dayNumber(localMs: number): number {
  return Math.floor(localMs / DAY_MS);
}

/** Weekdays as the price list writes them, by weekdayOfDay's number. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isoDateOfDay(day: number): string {
  // the same few days over and over (every day of the period, for every customer's fees)
  let iso = isoDates.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDates.size >= 4096) isoDates.clear();
    isoDates.set(day, iso);
  }
  return iso;
}

const isoDates = new Map<number, string>();

/** Day number of an ISO date `YYYY-MM-DD`, or undefined when it is not a real date. */
export function dayOfIsoDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (!isValidDate(y, mo, d)) return undefined;
  return dayNumber(utcMs(y, mo, d));
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, mo: number): number {
  return mo === 2 && isLeap(y) ? 29 : (MONTH_DAYS[mo - 1] ?? 0);
}

export function isValidDate(y: number, mo: number, d: number): boolean {
  return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}
