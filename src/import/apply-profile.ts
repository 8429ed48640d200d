/**
 * Applying a profile to the raw records of one file.
 *
 * The profile is bound to the file once (header names → positions) and
 * compiled into one closure per field; each record then costs a handful of
 * string reads, the parses its fields need, and the CanonicalRow itself.
 * A row that cannot be mapped becomes `{ ok: false }` naming the source
 * column and value — never an exception (SPEC §6: bad rows are reported or
 * written to --rejects, the good ones billed).
 * Pure: no fs, no clock; the only state is the de-duplication buffer of a
 * profile that asks for one.
 */
import { quoteValue } from '../errors';
import { DataError } from '../errors';
import { describeUnit, formatMicros, INVALID, parseDuration } from './durations';
import type { Zone as TimeZone } from '../time/zone';
import type { Delimiter } from '../io/delimiter';
import { DecimalMark } from '../usage/decimal-mark';
import { POINT_NUMBERS } from '../usage/usage-record';
import { compileTimestampParser, describeFormat, formatTimestamp, newParts, toEpochMillis } from './timestamps';
import type {
  CanonicalColumn,
  CanonicalRow,
  ColumnRef,
  DedupeSpec,
  FieldSpec,
  ImportProfile,
  MappedRecord,
  RawRecord,
  RowCondition,
} from './types';

/**
 * The header of a file lacks columns the profile reads. Not a row problem:
 * the file and the profile do not fit, and rejecting every row would hide it.
 * The core should report it against the file (exit 65, EX_DATAERR).
 */
export class ImportHeaderError extends DataError {
  constructor(
    readonly profile: string,
    readonly line: number,
    readonly missing: readonly string[],
  ) {
    super(
      `line ${line}: the header has no column ${missing.map((m) => quoteValue(m)).join(', ')}, which import profile ${quoteValue(profile)} reads` +
        ' (is this the right --import profile for this file?)',
    );
  }
}

/** The per-record state the compiled closures share: the fields, and where a failure is described. */
interface Ctx {
  fields: string[];
  column: string;
  message: string;
  value: string;
}

/** Returns the field's value, or null after describing the failure in ctx. */
type Extract = (ctx: Ctx) => string | null;

interface BoundColumn {
  index: number;
  label: string;
}

/** Resolves column references against a header (or positions for header-less files). */
class Binder {
  readonly missing: string[] = [];
  private readonly byName: Map<string, number> | null;

  /**
   * `local`: the price list's timezone, in which a `local` timestamp is read (SPEC §2).
   * `num`: the file's numbers (its decimal mark, decimal-mark.ts), one for the whole file.
   */
  constructor(header: string[] | null, readonly local: TimeZone, readonly num: DecimalMark = POINT_NUMBERS) {
    if (header === null) {
      this.byName = null;
      return;
    }
    // SPEC §2: header names case-insensitively, blanks trimmed; the first of duplicates wins.
    this.byName = new Map();
    header.forEach((h, i) => {
      const key = (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim().toLowerCase();
      if (!this.byName!.has(key)) this.byName!.set(key, i);
    });
  }

  bind(ref: ColumnRef): BoundColumn {
    if (ref.kind === 'position') return { index: ref.position - 1, label: ref.label };
    const index = this.byName?.get(ref.name.toLowerCase());
    if (index === undefined) {
      if (!this.missing.includes(ref.name)) this.missing.push(ref.name);
      return { index: -1, label: ref.name };
    }
    return { index, label: ref.name };
  }
}

function fail(ctx: Ctx, column: string, message: string, value: string): null {
  ctx.column = column;
  ctx.message = message;
  ctx.value = value;
  return null;
}

/** Reads one column, trimmed; null (described) when the row is too short to have it. */
function columnReader(col: BoundColumn): Extract {
  const { index, label } = col;
  return (ctx) => {
    const v = ctx.fields[index];
    if (v === undefined) {
      return fail(ctx, label, `is missing: the row has ${ctx.fields.length} field${ctx.fields.length === 1 ? '' : 's'}`, '');
    }
    return v.trim();
  };
}

function sourceLabel(spec: FieldSpec, binder: Binder): string {
  const s = spec.source;
  switch (s.kind) {
    case 'column':
      return binder.bind(s.ref).label;
    case 'join':
      return s.refs.map((r) => binder.bind(r).label).join('+');
    case 'sum':
      return [s.plus.map((r) => binder.bind(r).label).join(' + '), ...s.minus.map((r) => binder.bind(r).label)].join(' - ');
    case 'between':
      return `${binder.bind(s.start).label}..${binder.bind(s.end).label}`;
    case 'value':
      return `${spec.target} (constant)`;
  }
}

/** The raw text of a text or timestamp field: one column, or several joined. */
function rawReader(spec: FieldSpec, binder: Binder): Extract {
  const s = spec.source;
  if (s.kind === 'column') return columnReader(binder.bind(s.ref));
  if (s.kind === 'join') {
    const readers = s.refs.map((r) => columnReader(binder.bind(r)));
    const sep = s.separator;
    const n = readers.length;
    return (ctx) => {
      let out = '';
      let any = false;
      for (let i = 0; i < n; i++) {
        const v = readers[i]!(ctx);
        if (v === null) return null;
        if (v !== '') any = true;
        out = i === 0 ? v : out + sep + v;
      }
      return any ? out : '';
    };
  }
  if (s.kind === 'value') {
    const v = s.value;
    return () => v;
  }
  throw new Error(`internal: ${s.kind} is not a text source`);
}

/** The values callbill itself reads in a column (docs/reference.md §2): passed on as they are by a value map. */
const OWN_WORDS: Partial<Record<CanonicalColumn, readonly string[]>> = {
  channel: ['voice', 'chat'],
  status: ['answered', 'abandoned'],
  diversion: ['none', 'mobile', 'international'],
};

function compileText(spec: FieldSpec, binder: Binder): Extract {
  const read = rawReader(spec, binder);
  const label = sourceLabel(spec, binder);
  const { map, prefixes, defaultValue } = spec;
  if (!map && !prefixes) {
    if (defaultValue === null) return read;
    return (ctx) => {
      const v = read(ctx);
      return v === '' ? defaultValue : v;
    };
  }
  const words = OWN_WORDS[spec.target] ?? null;
  const known = [...(map?.keys() ?? []), ...(prefixes ?? []).map(([p]) => `${p}…`), ...(words ?? []).filter((w) => !map?.has(w.toUpperCase()) && !map?.has(w))];
  const expected = known.length <= 12 ? known.map((k) => (k === '' ? '(empty)' : k)).join(', ') : `${known.slice(0, 12).join(', ')}, …`;
  return (ctx) => {
    const v = read(ctx);
    if (v === null) return null;
    if (map) {
      let m = map.get(v);
      if (m === undefined) m = map.get(v.toUpperCase());
      if (m !== undefined) return m;
    }
    if (v !== '' && prefixes) {
      const upper = v.toUpperCase();
      for (let i = 0; i < prefixes.length; i++) {
        const p = prefixes[i]!;
        if (upper.startsWith(p[0])) return p[1];
      }
    }
    // a value that is already callbill's own word (`mobile`) needs no `mobile: mobile` in the map
    if (words !== null) {
      const w = v.trim().toLowerCase();
      if (words.includes(w)) return w;
    }
    if (defaultValue !== null) return defaultValue;
    if (v === '') return '';
    return fail(ctx, label, `has no mapping to ${spec.target} in the profile (mapped values: ${expected})`, v);
  };
}

function compileTimestamp(spec: FieldSpec, binder: Binder): Extract {
  const read = rawReader(spec, binder);
  const label = sourceLabel(spec, binder);
  const parse = compileTimestampParser(spec.timestamps.format);
  const zone = spec.timestamps.zone;
  const parts = newParts();
  const expected = describeFormat(spec.timestamps.format);
  return (ctx) => {
    const v = read(ctx);
    if (v === null || v === '') return v;
    if (!parse(v, parts)) return fail(ctx, label, `is not ${expected}`, v);
    return formatTimestamp(parts, zone);
  };
}

function compileDuration(spec: FieldSpec, binder: Binder): Extract {
  const s = spec.source;
  const dflt = spec.defaultValue;
  const unit = spec.unit;
  const expected = describeUnit(unit);
  const num = binder.num;
  if (s.kind === 'value') {
    const v = s.value;
    return () => v;
  }
  if (s.kind === 'column') {
    const col = binder.bind(s.ref);
    const read = columnReader(col);
    return (ctx) => {
      const v = read(ctx);
      if (v === null) return null;
      if (v === '') return dflt ?? '';
      const t = num.text(v);
      if (t === null) return fail(ctx, col.label, num.problem, v);
      const us = parseDuration(t, unit);
      if (us === INVALID) return fail(ctx, col.label, `is not ${expected}`, v);
      return formatMicros(us);
    };
  }
  if (s.kind === 'sum') {
    // Components add up as integer microseconds; an empty component counts 0,
    // but when every component is empty the duration is unknown ('').
    const plus = s.plus.map((r) => binder.bind(r));
    const minus = s.minus.map((r) => binder.bind(r));
    const all = [...plus.map((c) => ({ c, sign: 1 })), ...minus.map((c) => ({ c, sign: -1 }))];
    const readers = all.map((x) => columnReader(x.c));
    const signs = all.map((x) => x.sign);
    const labels = all.map((x) => x.c.label);
    const label = sourceLabel(spec, binder);
    const n = all.length;
    return (ctx) => {
      let total = 0;
      let any = false;
      for (let i = 0; i < n; i++) {
        const v = readers[i]!(ctx);
        if (v === null) return null;
        if (v === '') continue;
        const t = num.text(v);
        if (t === null) return fail(ctx, labels[i]!, num.problem, v);
        const us = parseDuration(t, unit);
        if (us === INVALID) return fail(ctx, labels[i]!, `is not ${expected}`, v);
        total += signs[i]! * us;
        any = true;
      }
      if (!any) return dflt ?? '';
      if (total < 0) return fail(ctx, label, `comes out negative (${formatMicros(-total)} seconds below zero)`, '');
      return formatMicros(total);
    };
  }
  if (s.kind === 'between') {
    const start = binder.bind(s.start);
    const end = binder.bind(s.end);
    const readStart = columnReader(start);
    const readEnd = columnReader(end);
    const parse = compileTimestampParser(spec.timestamps.format);
    const zone = spec.timestamps.zone;
    const a = newParts();
    const b = newParts();
    const expectedTs = describeFormat(spec.timestamps.format);
    const label = sourceLabel(spec, binder);
    return (ctx) => {
      const v1 = readStart(ctx);
      if (v1 === null) return null;
      const v2 = readEnd(ctx);
      if (v2 === null) return null;
      if (v1 === '' || v2 === '') return dflt ?? '';
      if (!parse(v1, a)) return fail(ctx, start.label, `is not ${expectedTs}`, v1);
      if (!parse(v2, b)) return fail(ctx, end.label, `is not ${expectedTs}`, v2);
      const ms = toEpochMillis(b, zone, binder.local) - toEpochMillis(a, zone, binder.local);
      if (ms < 0) return fail(ctx, label, `ends before it starts`, `${v1} .. ${v2}`);
      return formatMicros(ms * 1000);
    };
  }
  throw new Error(`internal: ${s.kind} is not a duration source`);
}

function compileField(spec: FieldSpec, binder: Binder): Extract {
  switch (spec.target) {
    case 'started_at':
      return compileTimestamp(spec, binder);
    case 'duration_seconds':
    case 'response_seconds':
    case 'diverted_seconds':
      return compileDuration(spec, binder);
    default:
      return compileText(spec, binder);
  }
}

const EMPTY: Extract = () => '';

/** SPEC §2 required columns: an empty result is reported against its source column. */
function required(extract: Extract, target: CanonicalColumn, label: string): Extract {
  return (ctx) => {
    const v = extract(ctx);
    if (v === '') return fail(ctx, label, `is empty, and ${target} needs a value (docs/reference.md §2)`, '');
    return v;
  };
}

type RowBuilder = (ctx: Ctx) => CanonicalRow | null;

function compileRow(specs: readonly FieldSpec[], binder: Binder): RowBuilder {
  const by = new Map<CanonicalColumn, FieldSpec>();
  for (const s of specs) by.set(s.target, s);
  const get = (target: CanonicalColumn, isRequired: boolean): Extract => {
    const spec = by.get(target);
    if (!spec) return EMPTY;
    const e = compileField(spec, binder);
    return isRequired ? required(e, target, sourceLabel(spec, binder)) : e;
  };
  const recordId = get('record_id', true);
  const customerId = get('customer_id', true);
  const channel = get('channel', true);
  const startedAt = get('started_at', true);
  const duration = get('duration_seconds', true);
  const response = get('response_seconds', false);
  const status = get('status', false);
  const diversion = get('diversion', false);
  const destination = get('destination', false);
  const diverted = get('diverted_seconds', false);
  return (ctx) => {
    const record_id = recordId(ctx);
    if (record_id === null) return null;
    const customer_id = customerId(ctx);
    if (customer_id === null) return null;
    const ch = channel(ctx);
    if (ch === null) return null;
    const started_at = startedAt(ctx);
    if (started_at === null) return null;
    const duration_seconds = duration(ctx);
    if (duration_seconds === null) return null;
    const response_seconds = response(ctx);
    if (response_seconds === null) return null;
    const st = status(ctx);
    if (st === null) return null;
    const div = diversion(ctx);
    if (div === null) return null;
    // destination and diverted_seconds only mean something for a diverted
    // record (SPEC §4.4): they are read, and emitted, only for those.
    let dest = '';
    let divSeconds = '';
    if (div !== '' && div.toLowerCase() !== 'none') {
      const d = destination(ctx);
      if (d === null) return null;
      const s = diverted(ctx);
      if (s === null) return null;
      dest = d;
      divSeconds = s;
    }
    return {
      record_id,
      customer_id,
      channel: ch,
      started_at,
      duration_seconds,
      response_seconds,
      status: st,
      diversion: div,
      destination: dest,
      diverted_seconds: divSeconds,
    };
  };
}

function compileCondition(cond: RowCondition, binder: Binder): (ctx: Ctx) => boolean {
  const col = binder.bind(cond.ref);
  const index = col.index;
  if (cond.in) {
    const set = cond.in;
    return (ctx) => {
      const v = ctx.fields[index];
      return v !== undefined && set.has(v.trim().toUpperCase());
    };
  }
  const wantEmpty = cond.empty === true;
  return (ctx) => {
    const v = ctx.fields[index];
    const isEmpty = v === undefined || v.trim() === '';
    return isEmpty === wantEmpty;
  };
}

/** Everything needed per record, compiled once per file. */
interface Bound {
  build: RowBuilder;
  buildForwarded: RowBuilder | null;
  isForwarded: ((ctx: Ctx) => boolean) | null;
  dedupeKey: Extract | null;
  dedupeLatest: ((ctx: Ctx) => number | null) | null;
}

function bindProfile(profile: ImportProfile, header: string[] | null, headerLine: number, local: TimeZone, num: DecimalMark): Bound {
  const binder = new Binder(header, local, num);
  const build = compileRow(profile.fields, binder);
  let buildForwarded: RowBuilder | null = null;
  let isForwarded: ((ctx: Ctx) => boolean) | null = null;
  if (profile.forwarded) {
    // The forwarded fields replace the base ones target by target, once, here.
    const merged = new Map<CanonicalColumn, FieldSpec>();
    for (const s of profile.fields) merged.set(s.target, s);
    for (const s of profile.forwarded.fields) merged.set(s.target, s);
    buildForwarded = compileRow([...merged.values()], binder);
    const conds = profile.forwarded.when.map((c) => compileCondition(c, binder));
    isForwarded = (ctx) => {
      for (let i = 0; i < conds.length; i++) if (!conds[i]!(ctx)) return false;
      return true;
    };
  }
  let dedupeKey: Extract | null = null;
  let dedupeLatest: ((ctx: Ctx) => number | null) | null = null;
  if (profile.dedupe) {
    ({ key: dedupeKey, latest: dedupeLatest } = compileDedupe(profile.dedupe, binder));
  }
  if (header !== null && binder.missing.length > 0) {
    throw new ImportHeaderError(profile.name, headerLine, binder.missing);
  }
  return { build, buildForwarded, isForwarded, dedupeKey, dedupeLatest };
}

function compileDedupe(spec: DedupeSpec, binder: Binder): { key: Extract; latest: (ctx: Ctx) => number | null } {
  const readers = spec.key.map((r) => columnReader(binder.bind(r)));
  const key: Extract = (ctx) => {
    let out = '';
    for (let i = 0; i < readers.length; i++) {
      const v = readers[i]!(ctx);
      if (v === null) return null;
      out = i === 0 ? v : `${out}\u0000${v}`;
    }
    return out;
  };
  const col = binder.bind(spec.latest);
  const read = columnReader(col);
  const parse = compileTimestampParser(spec.timestamps.format);
  const parts = newParts();
  const zone = spec.timestamps.zone;
  const expected = describeFormat(spec.timestamps.format);
  const latest = (ctx: Ctx): number | null => {
    const v = read(ctx);
    if (v === null) return null;
    if (v === '' || !parse(v, parts)) {
      fail(ctx, col.label, v === '' ? 'is empty: cannot tell which copy of the record is the latest' : `is not ${expected}`, v);
      return null;
    }
    return toEpochMillis(parts, zone, binder.local);
  };
  return { key, latest };
}

function errorRecord(ctx: Ctx, rec: RawRecord): MappedRecord {
  return { ok: false, line: rec.line, fields: rec.fields, column: ctx.column, message: ctx.message, value: ctx.value };
}

/**
 * A record held for de-duplication. An ok row is packed into one string (its
 * ten fields joined by NUL) rather than kept as objects: a month of Connect
 * contacts is held whole, so the bytes per contact matter.
 */
interface Held {
  line: number;
  latest: number;
  packed: string | null;
  record: MappedRecord | null;
  superseded: number[] | null;
}

const SEP = '\u0000';

function hold(mapped: MappedRecord, latest: number): Held {
  if (mapped.ok) {
    const r = mapped.row;
    const packed =
      r.record_id + SEP + r.customer_id + SEP + r.channel + SEP + r.started_at + SEP + r.duration_seconds + SEP +
      r.response_seconds + SEP + r.status + SEP + r.diversion + SEP + r.destination + SEP + r.diverted_seconds;
    // A field that itself holds NUL would not unpack: keep that row as it is.
    let seps = 0;
    for (let i = packed.indexOf(SEP); i !== -1; i = packed.indexOf(SEP, i + 1)) seps++;
    if (seps === 9) return { line: mapped.line, latest, packed, record: null, superseded: null };
  }
  return { line: mapped.line, latest, packed: null, record: mapped, superseded: null };
}

function release(h: Held): MappedRecord {
  let out: MappedRecord;
  if (h.packed !== null) {
    const v = h.packed.split(SEP);
    out = {
      ok: true,
      row: {
        record_id: v[0]!,
        customer_id: v[1]!,
        channel: v[2]!,
        started_at: v[3]!,
        duration_seconds: v[4]!,
        response_seconds: v[5]!,
        status: v[6]!,
        diversion: v[7]!,
        destination: v[8]!,
        diverted_seconds: v[9]!,
      },
      line: h.line,
    };
  } else {
    out = h.record!;
  }
  if (h.superseded !== null) out.superseded = h.superseded.sort((x, y) => x - y);
  return out;
}

function mapRecord(bound: Bound, ctx: Ctx, rec: RawRecord): MappedRecord {
  let row: CanonicalRow | null;
  if (bound.isForwarded !== null && bound.isForwarded(ctx)) row = bound.buildForwarded!(ctx);
  else row = bound.build(ctx);
  return row === null ? errorRecord(ctx, rec) : { ok: true, row, line: rec.line };
}

/**
 * Maps the raw records of ONE file (header first when the profile has one), one
 * at a time and synchronously, so that the reader can call it from its parser
 * callback. `push` returns the record's row, or null for the header and for a
 * record held for de-duplication (a profile with `dedupe` needs the whole file);
 * `finish` returns the held records, in order of first appearance.
 * `local` is the price list's timezone, in which `local` timestamps are read.
 */
export class ProfileMapper {
  private readonly ctx: Ctx = { fields: [], column: '', message: '', value: '' };
  private bound: Bound | null;
  // Only for a profile with `dedupe`: every record is held until the end,
  // keyed, in order of first appearance (memory grows with distinct records).
  private readonly held: Held[] = [];
  private readonly byKey = new Map<string, number>();

  /** The file's numbers: with `delimiter` `;` or tab they may have a decimal comma (decimal-mark.ts). */
  private readonly num: DecimalMark;

  constructor(
    private readonly profile: ImportProfile,
    private readonly local: TimeZone,
    delimiter: Delimiter = ',',
  ) {
    this.num = delimiter === ',' ? POINT_NUMBERS : new DecimalMark(delimiter);
    this.bound = profile.hasHeader ? null : bindProfile(profile, null, 0, local, this.num);
  }

  push(rec: RawRecord): MappedRecord | null {
    const ctx = this.ctx;
    const bound = this.bound;
    if (bound === null) {
      this.bound = bindProfile(this.profile, rec.fields, rec.line, this.local, this.num);
      return null;
    }
    ctx.fields = rec.fields;
    if (bound.dedupeKey === null) return mapRecord(bound, ctx, rec);
    const held = this.held;
    const key = bound.dedupeKey(ctx);
    if (key === null || key === '') {
      // No key: nothing to compare with; kept as it is.
      held.push(hold(mapRecord(bound, ctx, rec), 0));
      return null;
    }
    const latest = bound.dedupeLatest!(ctx);
    if (latest === null) {
      held.push(hold(errorRecord(ctx, rec), 0));
      return null;
    }
    const at = this.byKey.get(key);
    if (at === undefined) {
      this.byKey.set(key, held.length);
      held.push(hold(mapRecord(bound, ctx, rec), latest));
      return null;
    }
    const prev = held[at]!;
    // The copy with the latest timestamp wins; on a tie, the later line.
    if (latest < prev.latest) {
      (prev.superseded ??= []).push(rec.line);
      return null;
    }
    const next = hold(mapRecord(bound, ctx, rec), latest);
    next.superseded = prev.superseded ?? [];
    next.superseded.push(prev.line);
    held[at] = next;
    return null;
  }

  /** The records held for de-duplication (none without `dedupe`). */
  finish(): MappedRecord[] {
    const out = this.held.map(release);
    this.held.length = 0;
    this.byKey.clear();
    return out;
  }
}

/** Streams raw CSV records of ONE file (header first when hasHeader) into canonical rows. Pure: no fs. */
export async function* applyProfile(profile: ImportProfile, records: AsyncIterable<RawRecord>, local: TimeZone): AsyncGenerator<MappedRecord> {
  const mapper = new ProfileMapper(profile, local);
  for await (const rec of records) {
    const m = mapper.push(rec);
    if (m) yield m;
  }
  yield* mapper.finish();
}
