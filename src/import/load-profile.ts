/**
 * Reading and validating an import profile (YAML).
 *
 * Like the price list (SPEC §3), a profile is validated as a whole before any
 * usage is read, and every problem is reported at once as
 * `file:line:column: message`. The YAML is read by the walker the price list
 * uses (pricing/yaml-walker.ts: located errors, duplicate keys, control
 * characters; here anchors and aliases are refused). Scalars are read as the
 * text written, so nothing in a profile ever passes through a JavaScript number
 * by accident: `"0"`, `0` and `00` are all the text the user wrote.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Pair, YAMLMap } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq, YamlWalker } from '../pricing/yaml-walker';
import { ConfigError, fsErrorText, InputError, quoteValue, shownKey } from '../errors';
import type { Diagnostic } from '../errors';
import { limitText, readCapped } from '../io/read-capped';
import { BUILTIN_PROFILE_TEXTS } from './builtin-profiles';
import { parseSeconds } from './durations';
import { compilePatternSteps } from './timestamps';
import { parseDelimiterName } from '../io/delimiter';
import type { Delimiter } from '../io/delimiter';
import { CHANNELS } from '../pricing/types';
import { CANONICAL_COLUMNS } from './types';
import type {
  CanonicalColumn,
  ColumnRef,
  CsvReadOptions,
  DedupeSpec,
  DurationUnit,
  FieldSource,
  FieldSpec,
  ImportProfile,
  RowCondition,
  TimestampFormat,
  TimestampSettings,
  Zone,
} from './types';

/** Names of the profiles that ship with callbill (`--import NAME`). */
export const BUILTIN_PROFILES: readonly string[] = Object.freeze(Object.keys(BUILTIN_PROFILE_TEXTS).sort());

/** SPEC §2 columns a usage row cannot do without. */
const REQUIRED_TARGETS: readonly CanonicalColumn[] = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds'];

type TargetKind = 'text' | 'timestamp' | 'duration';

const TARGET_KIND: Record<CanonicalColumn, TargetKind> = {
  record_id: 'text',
  customer_id: 'text',
  channel: 'text',
  started_at: 'timestamp',
  duration_seconds: 'duration',
  response_seconds: 'duration',
  status: 'text',
  diversion: 'text',
  destination: 'text',
  diverted_seconds: 'duration',
};

/** SPEC §2 value sets: a map or constant that produces anything else is a profile error. */
const ALLOWED_VALUES: Partial<Record<CanonicalColumn, readonly string[]>> = {
  channel: CHANNELS,
  status: ['answered', 'abandoned'],
  diversion: ['none', 'mobile', 'international'],
};

const TOP_KEYS = ['name', 'source', 'header', 'columns', 'delimiter', 'csv', 'timestamps', 'durations', 'fields', 'forwarded', 'dedupe'];
const FIELD_KEYS = ['column', 'join', 'separator', 'value', 'sum', 'minus', 'between', 'map', 'prefixes', 'default', 'unit', 'format', 'zone'];
const SOURCE_KEYS = ['column', 'join', 'value', 'sum', 'between'];
const DURATION_UNITS: readonly DurationUnit[] = ['seconds', 'milliseconds', 'hh:mm:ss'];

/** The problems of one profile, located by the walker that read it. */
class Problems {
  constructor(readonly walker: YamlWalker) {}

  get list(): Diagnostic[] {
    return this.walker.diagnostics;
  }

  /** At a node, or at a pair's key; a problem of the whole file when there is no node. */
  at(node: Node | Pair | null | undefined, message: string): void {
    const n = node && isPair(node) ? (node.key as Node | null) : node;
    if (!n || !n.range) this.list.push({ file: this.walker.file, line: 0, column: 0, message });
    else this.walker.error(n, message);
  }
}

/** A scalar's text as written, or null (reported) when the node is not a scalar. */
function text(node: unknown, problems: Problems, what: string): string | null {
  if (isScalar(node)) return problems.walker.text(node);
  if (isAlias(node)) return null; // already reported
  problems.at(node as Node, `${what} must be a single value`);
  return null;
}

function keyText(pair: Pair, problems: Problems): string {
  return isScalar(pair.key) ? problems.walker.text(pair.key) : '';
}

/** A mapping's pairs, the first of each key only (the walker reports a key written twice). */
function pairsOf(map: YAMLMap, problems: Problems): Pair[] {
  const seen = new Set<string>();
  return (map.items as Pair[]).filter((pair) => {
    const key = keyText(pair, problems);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks that a mapping has only known keys; returns its pairs by key. */
function keysOf(map: YAMLMap, allowed: readonly string[], where: string, problems: Problems): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const pair of pairsOf(map, problems)) {
    const key = keyText(pair, problems);
    if (!allowed.includes(key)) {
      problems.at(pair.key as Node, `unknown key ${quoteValue(key)} in ${where} (expected one of: ${allowed.join(', ')})`);
      continue;
    }
    out.set(key, pair);
  }
  return out;
}

function asMap(node: unknown, problems: Problems, what: string): YAMLMap | null {
  if (isMap(node)) return node;
  if (isAlias(node)) return null; // already reported
  problems.at(node as Node, `${what} must be a mapping (key: value lines)`);
  return null;
}

function parseBoolean(node: unknown, problems: Problems, what: string): boolean | null {
  const t = text(node, problems, what);
  if (t === null) return null;
  if (t === 'true') return true;
  if (t === 'false') return false;
  problems.at(node as Node, `${what} must be true or false, not ${quoteValue(t)}`);
  return null;
}

const POSITION = /^[0-9]+$/;
const NUMBER_LIKE = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

function parseColumnRef(node: unknown, problems: Problems, what: string, columnNames: readonly string[]): ColumnRef | null {
  const t = text(node, problems, what);
  if (t === null) return null;
  const name = t.trim();
  if (name === '') {
    problems.at(node as Node, `${what} must name a column`);
    return null;
  }
  // `-1`, `1.5`, `1e3` look like positions but are none: a plain (unquoted) number that
  // is not a whole number from 1 is a mistake in the profile, not the name of a header
  // (quote it, "1.5", to name a column so headed)
  if (!POSITION.test(name) && NUMBER_LIKE.test(name) && isScalar(node) && node.type === 'PLAIN') {
    problems.at(node as Node, `${what}: column positions are whole numbers from 1, found ${shownKey(name)} (quote it to name a column headed so)`);
    return null;
  }
  if (POSITION.test(name)) {
    const position = Number(name);
    if (position < 1) {
      problems.at(node as Node, `${what}: column positions start at 1`);
      return null;
    }
    if (!Number.isSafeInteger(position)) {
      problems.at(node as Node, `${what}: column position ${name} is far beyond any file's width`);
      return null;
    }
    const label = columnNames[position - 1];
    return { kind: 'position', position, label: label === undefined ? `column ${position}` : `${label} (column ${position})` };
  }
  if (columnNames.length > 0) {
    // Header-less file: a name must be one that `columns:` gives to a position.
    const idx = columnNames.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (idx < 0) {
      problems.at(node as Node, `${what}: ${quoteValue(name)} is not one of the names in columns:`);
      return null;
    }
    return { kind: 'position', position: idx + 1, label: columnNames[idx]! };
  }
  return { kind: 'name', name };
}

function parseColumnList(node: unknown, problems: Problems, what: string, columnNames: readonly string[], min: number): ColumnRef[] | null {
  const items: unknown[] = isSeq(node) ? node.items : [node];
  if (!isSeq(node) && !isScalar(node)) {
    problems.at(node as Node, `${what} must be a column or a list of columns`);
    return null;
  }
  const refs: ColumnRef[] = [];
  let ok = true;
  for (const item of items) {
    const ref = parseColumnRef(item, problems, what, columnNames);
    if (ref) refs.push(ref);
    else ok = false;
  }
  if (ok && refs.length < min) {
    problems.at(node as Node, `${what} needs at least ${min} column${min === 1 ? '' : 's'}`);
    return null;
  }
  return ok ? refs : null;
}

function parseFormat(node: unknown, problems: Problems): TimestampFormat | null {
  const t = text(node, problems, 'format');
  if (t === null) return null;
  switch (t) {
    case 'iso':
      return { kind: 'iso' };
    case 'rfc2822':
      return { kind: 'rfc2822' };
    case 'epoch':
      return { kind: 'epoch', scale: 'seconds' };
    case 'epoch-ms':
      return { kind: 'epoch', scale: 'milliseconds' };
  }
  const steps = compilePatternSteps(t);
  if (typeof steps === 'string') {
    problems.at(node as Node, `format: ${steps}; or use iso, rfc2822, epoch, epoch-ms`);
    return null;
  }
  return { kind: 'pattern', text: t, steps };
}

const OFFSET = /^([+-])([01][0-9]|2[0-3]):([0-5][0-9])$/;

function parseZone(node: unknown, problems: Problems): Zone | null {
  const t = text(node, problems, 'zone');
  if (t === null) return null;
  if (t === 'local') return { kind: 'local' };
  if (t === 'utc' || t === 'UTC') return { kind: 'utc' };
  const m = OFFSET.exec(t);
  if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return { kind: 'offset', minutes, text: t };
  }
  problems.at(node as Node, `zone must be local (the price list's timezone), utc, or a fixed offset such as +01:00, not ${quoteValue(t)}`);
  return null;
}

function parseUnit(node: unknown, problems: Problems): DurationUnit | null {
  const t = text(node, problems, 'unit');
  if (t === null) return null;
  if ((DURATION_UNITS as readonly string[]).includes(t)) return t as DurationUnit;
  problems.at(node as Node, `duration unit must be one of ${DURATION_UNITS.join(', ')}, not ${quoteValue(t)}`);
  return null;
}

function parseTimestampSettings(node: unknown, problems: Problems): TimestampSettings {
  const settings: TimestampSettings = { format: { kind: 'iso' }, zone: { kind: 'local' } };
  const map = asMap(node, problems, 'timestamps');
  if (!map) return settings;
  const keys = keysOf(map, ['format', 'zone'], 'timestamps', problems);
  const f = keys.get('format');
  if (f) settings.format = parseFormat(f.value, problems) ?? settings.format;
  const z = keys.get('zone');
  if (z) settings.zone = parseZone(z.value, problems) ?? settings.zone;
  return settings;
}

interface Defaults {
  timestamps: TimestampSettings;
  unit: DurationUnit;
  columnNames: readonly string[];
}

/** A value a target may hold: checks the SPEC §2 value sets and duration syntax. */
function checkTargetValue(target: CanonicalColumn, value: string, node: unknown, problems: Problems, what: string): boolean {
  const allowed = ALLOWED_VALUES[target];
  if (allowed && !allowed.includes(value)) {
    problems.at(node as Node, `${what}: ${target} must be one of ${allowed.join(', ')}, not ${quoteValue(value)}`);
    return false;
  }
  if (TARGET_KIND[target] === 'duration' && value !== '' && parseSeconds(value) < 0) {
    problems.at(node as Node, `${what}: ${target} must be a non-negative number of seconds, not ${quoteValue(value)}`);
    return false;
  }
  return true;
}

function parseValueMap(node: unknown, target: CanonicalColumn, problems: Problems, what: string): Map<string, string> | null {
  const map = asMap(node, problems, what);
  if (!map) return null;
  const out = new Map<string, string>();
  for (const pair of pairsOf(map, problems)) {
    const from = keyText(pair, problems).trim();
    const to = text(pair.value, problems, `${what} ${quoteValue(from)}`);
    if (to === null) continue;
    if (!checkTargetValue(target, to, pair.value, problems, `${what} ${quoteValue(from)}`)) continue;
    // Matching is case-insensitive: `No Answer` and `NO ANSWER` are one key.
    const folded = from.toUpperCase();
    const prev = out.get(folded);
    if (prev !== undefined && prev !== to) {
      problems.at(pair.key as Node, `${what}: ${quoteValue(from)} differs only in case from another key that maps to ${quoteValue(String(prev))}`);
      continue;
    }
    out.set(folded, to);
  }
  return out;
}

function parseFieldSpec(target: CanonicalColumn, node: unknown, defaults: Defaults, problems: Problems): FieldSpec | null {
  const kind = TARGET_KIND[target];
  const spec: FieldSpec = {
    target,
    source: { kind: 'value', value: '' },
    map: null,
    prefixes: null,
    defaultValue: null,
    unit: defaults.unit,
    timestamps: defaults.timestamps,
  };
  // Shorthand: `customer_id: accountcode` is `customer_id: { column: accountcode }`.
  if (isScalar(node)) {
    const ref = parseColumnRef(node, problems, target, defaults.columnNames);
    if (!ref) return null;
    spec.source = { kind: 'column', ref };
    return spec;
  }
  const map = asMap(node, problems, target);
  if (!map) return null;
  const keys = keysOf(map, FIELD_KEYS, target, problems);
  let ok = true;
  const where = (k: string) => `${target}.${k}`;

  const sources = SOURCE_KEYS.filter((k) => keys.has(k));
  if (sources.length !== 1) {
    problems.at(map, `${target} needs exactly one of ${SOURCE_KEYS.join(', ')}${sources.length > 1 ? ` (found ${sources.join(' and ')})` : ''}`);
    return null;
  }
  const sourceKey = sources[0]!;
  const sourcePair = keys.get(sourceKey)!;
  let source: FieldSource | null = null;
  /** sum and between make a number of seconds: only a duration target takes one. */
  const durationOnly = (): boolean => {
    if (kind === 'duration') return true;
    problems.at(sourcePair, `${sourceKey} is only for durations (duration_seconds, response_seconds, diverted_seconds), not ${target}`);
    return false;
  };
  switch (sourceKey) {
    case 'column': {
      const ref = parseColumnRef(sourcePair.value, problems, where('column'), defaults.columnNames);
      if (ref) source = { kind: 'column', ref };
      break;
    }
    case 'join': {
      if (kind === 'duration') {
        problems.at(sourcePair, `${target} is a duration: use sum, not join`);
        break;
      }
      const refs = parseColumnList(sourcePair.value, problems, where('join'), defaults.columnNames, 2);
      const sepPair = keys.get('separator');
      const separator = sepPair ? text(sepPair.value, problems, where('separator')) : '-';
      if (refs && separator !== null) source = { kind: 'join', refs, separator };
      break;
    }
    case 'value': {
      const v = text(sourcePair.value, problems, where('value'));
      if (v === null) break;
      if (kind === 'timestamp') {
        problems.at(sourcePair, `${target} cannot be a constant`);
        break;
      }
      if (checkTargetValue(target, v, sourcePair.value, problems, where('value'))) source = { kind: 'value', value: v };
      break;
    }
    case 'sum': {
      if (!durationOnly()) break;
      const plus = parseColumnList(sourcePair.value, problems, where('sum'), defaults.columnNames, 1);
      const minusPair = keys.get('minus');
      const minus = minusPair ? parseColumnList(minusPair.value, problems, where('minus'), defaults.columnNames, 1) : [];
      if (plus && minus) source = { kind: 'sum', plus, minus };
      break;
    }
    case 'between': {
      if (!durationOnly()) break;
      const refs = parseColumnList(sourcePair.value, problems, where('between'), defaults.columnNames, 2);
      if (refs && refs.length !== 2) {
        problems.at(sourcePair.value as Node, `${where('between')} takes two timestamp columns: [start, end]`);
      } else if (refs) {
        source = { kind: 'between', start: refs[0]!, end: refs[1]! };
      }
      break;
    }
  }
  if (!source) ok = false;
  else spec.source = source;

  if (keys.has('separator') && sourceKey !== 'join') {
    problems.at(keys.get('separator'), `${where('separator')} only goes with join`);
    ok = false;
  }
  if (keys.has('minus') && sourceKey !== 'sum') {
    problems.at(keys.get('minus'), `${where('minus')} only goes with sum`);
    ok = false;
  }

  const mapPair = keys.get('map');
  const prefixPair = keys.get('prefixes');
  if ((mapPair || prefixPair) && kind !== 'text') {
    problems.at(mapPair ?? prefixPair, `${target} is a ${kind}: value maps are for text fields`);
    ok = false;
  } else {
    if (mapPair) {
      spec.map = parseValueMap(mapPair.value, target, problems, where('map'));
      if (!spec.map) ok = false;
    }
    if (prefixPair) {
      const prefixes = parseValueMap(prefixPair.value, target, problems, where('prefixes'));
      if (!prefixes) ok = false;
      // Longest prefix first, so `+3519` wins over `+351`.
      else spec.prefixes = [...prefixes.entries()].sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1));
    }
  }
  if ((spec.map || spec.prefixes) && sourceKey === 'value') {
    problems.at(mapPair ?? prefixPair, `${target}: a constant value needs no map`);
    ok = false;
  }

  const defaultPair = keys.get('default');
  if (defaultPair) {
    const d = text(defaultPair.value, problems, where('default'));
    if (kind === 'timestamp') {
      problems.at(defaultPair, `${target} cannot have a default`);
      ok = false;
    } else if (d !== null && checkTargetValue(target, d, defaultPair.value, problems, where('default'))) {
      spec.defaultValue = d;
    } else {
      ok = false;
    }
  }

  const unitPair = keys.get('unit');
  if (unitPair) {
    if (kind !== 'duration' || sourceKey === 'between' || sourceKey === 'value') {
      problems.at(unitPair, `${where('unit')} only goes with a duration read from columns`);
      ok = false;
    } else {
      const u = parseUnit(unitPair.value, problems);
      if (u) spec.unit = u;
      else ok = false;
    }
  }

  const formatPair = keys.get('format');
  const zonePair = keys.get('zone');
  if (formatPair || zonePair) {
    if (kind !== 'timestamp' && sourceKey !== 'between') {
      problems.at(formatPair ?? zonePair, `${where(formatPair ? 'format' : 'zone')} only goes with started_at or a between duration`);
      ok = false;
    } else {
      const format = formatPair ? parseFormat(formatPair.value, problems) : defaults.timestamps.format;
      const zone = zonePair ? parseZone(zonePair.value, problems) : defaults.timestamps.zone;
      if (format && zone) spec.timestamps = { format, zone };
      else ok = false;
    }
  }
  return ok ? spec : null;
}

function parseFields(node: unknown, defaults: Defaults, problems: Problems, where: string, requireAll: boolean): FieldSpec[] {
  const map = asMap(node, problems, where);
  const specs: FieldSpec[] = [];
  if (!map) return specs;
  const seen = new Set<string>();
  for (const pair of pairsOf(map, problems)) {
    const key = keyText(pair, problems);
    if (!(CANONICAL_COLUMNS as readonly string[]).includes(key)) {
      problems.at(pair.key as Node, `unknown field ${quoteValue(key)} in ${where} (the usage columns are: ${CANONICAL_COLUMNS.join(', ')})`);
      continue;
    }
    seen.add(key);
    const spec = parseFieldSpec(key as CanonicalColumn, pair.value, defaults, problems);
    if (spec) specs.push(spec);
  }
  if (requireAll) {
    for (const t of REQUIRED_TARGETS) {
      if (!seen.has(t)) problems.at(map, `${where} has no ${t}: every usage row needs one (docs/reference.md §2)`);
    }
  }
  return specs;
}

function parseCondition(node: unknown, problems: Problems, columnNames: readonly string[]): RowCondition | null {
  const map = asMap(node, problems, 'forwarded.when');
  if (!map) return null;
  const keys = keysOf(map, ['column', 'in', 'empty'], 'forwarded.when', problems);
  const colPair = keys.get('column');
  if (!colPair) {
    problems.at(map, 'forwarded.when needs a column');
    return null;
  }
  const ref = parseColumnRef(colPair.value, problems, 'forwarded.when.column', columnNames);
  const inPair = keys.get('in');
  const emptyPair = keys.get('empty');
  if ((inPair ? 1 : 0) + (emptyPair ? 1 : 0) !== 1) {
    problems.at(map, 'forwarded.when needs exactly one of in (a list of values) or empty (true or false)');
    return null;
  }
  if (!ref) return null;
  if (inPair) {
    const items: unknown[] = isSeq(inPair.value) ? inPair.value.items : [inPair.value];
    const values = new Set<string>();
    for (const item of items) {
      const t = text(item, problems, 'forwarded.when.in');
      if (t !== null) values.add(t.trim().toUpperCase());
    }
    if (items.length === 0) {
      problems.at(inPair.value as Node, 'forwarded.when.in needs at least one value');
      return null;
    }
    return { ref, in: values, empty: null };
  }
  const empty = parseBoolean(emptyPair!.value, problems, 'forwarded.when.empty');
  return empty === null ? null : { ref, in: null, empty };
}

function parseForwarded(node: unknown, defaults: Defaults, problems: Problems): ImportProfile['forwarded'] {
  const map = asMap(node, problems, 'forwarded');
  if (!map) return null;
  const keys = keysOf(map, ['when', 'fields'], 'forwarded', problems);
  const whenPair = keys.get('when');
  const fieldsPair = keys.get('fields');
  if (!whenPair || !fieldsPair) {
    problems.at(map, 'forwarded needs when (which rows are onward legs) and fields (what they map to)');
    return null;
  }
  const conditions: RowCondition[] = [];
  const items: unknown[] = isSeq(whenPair.value) ? whenPair.value.items : [whenPair.value];
  if (items.length === 0) {
    // An empty list would make every row a forwarded leg.
    problems.at(whenPair.value as Node, 'forwarded.when needs at least one condition');
  }
  for (const item of items) {
    const c = parseCondition(item, problems, defaults.columnNames);
    if (c) conditions.push(c);
  }
  const fields = parseFields(fieldsPair.value, defaults, problems, 'forwarded.fields', false);
  return { when: conditions, fields };
}

function parseDedupe(node: unknown, defaults: Defaults, problems: Problems): DedupeSpec | null {
  const map = asMap(node, problems, 'dedupe');
  if (!map) return null;
  const keys = keysOf(map, ['key', 'latest', 'format', 'zone'], 'dedupe', problems);
  const keyPair = keys.get('key');
  const latestPair = keys.get('latest');
  if (!keyPair || !latestPair) {
    problems.at(map, 'dedupe needs key (the column(s) naming a record) and latest (the timestamp column whose latest value wins)');
    return null;
  }
  const key = parseColumnList(keyPair.value, problems, 'dedupe.key', defaults.columnNames, 1);
  const latest = parseColumnRef(latestPair.value, problems, 'dedupe.latest', defaults.columnNames);
  const format = keys.get('format') ? parseFormat(keys.get('format')!.value, problems) : defaults.timestamps.format;
  const zone = keys.get('zone') ? parseZone(keys.get('zone')!.value, problems) : defaults.timestamps.zone;
  if (!key || !latest || !format || !zone) return null;
  return { key, latest, timestamps: { format, zone } };
}

/**
 * Parses and validates profile text. `file` is what diagnostics name;
 * `fallbackName` is the profile's name when it has no `name:`.
 * Throws ConfigError with every problem found.
 */
function parseProfile(source: string, file: string, fallbackName: string, origin: string): ImportProfile {
  // Anchors and aliases have no use in a profile and can blow a document up.
  const walker = new YamlWalker(file, source, { refuseAnchorsIn: 'a profile' });
  const problems = new Problems(walker);
  if (!walker.doc || walker.doc.errors.length > 0) throw new ConfigError(sortDiagnostics(problems.list));

  const root = walker.root;
  if (root === null || (isScalar(root) && walker.text(root) === '')) {
    problems.list.push({ file, line: 0, column: 0, message: 'the profile is empty' });
    throw new ConfigError(problems.list);
  }
  const top = asMap(root, problems, 'a profile');
  if (!top) throw new ConfigError(sortDiagnostics(problems.list));
  const keys = keysOf(top, TOP_KEYS, 'the profile', problems);

  let name = fallbackName;
  const namePair = keys.get('name');
  if (namePair) {
    const n = text(namePair.value, problems, 'name');
    if (n !== null && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(n)) name = n;
    else if (n !== null) problems.at(namePair.value as Node, `name must be letters, digits, "-", "_" or ".", not ${quoteValue(n)}`);
  }
  const sourcePair = keys.get('source');
  const sourceText = sourcePair ? (text(sourcePair.value, problems, 'source') ?? '') : '';

  let hasHeader = true;
  const headerPair = keys.get('header');
  if (headerPair) hasHeader = parseBoolean(headerPair.value, problems, 'header') ?? true;

  const columnNames: string[] = [];
  const columnsPair = keys.get('columns');
  if (columnsPair) {
    if (hasHeader) {
      problems.at(columnsPair, 'columns names the positions of a header-less file: it needs header: false');
    } else if (!isSeq(columnsPair.value)) {
      problems.at(columnsPair.value as Node, 'columns must be a list of names, one per position');
    } else {
      const seen = new Set<string>();
      for (const item of columnsPair.value.items) {
        const c = text(item, problems, 'columns');
        if (c === null) continue;
        const t = c.trim();
        if (t === '' || POSITION.test(t)) problems.at(item as Node, `columns: ${quoteValue(t)} is not a usable name`);
        else if (seen.has(t.toLowerCase())) problems.at(item as Node, `columns: ${quoteValue(t)} appears twice`);
        seen.add(t.toLowerCase());
        columnNames.push(t);
      }
    }
  }

  const csv: CsvReadOptions = { ltrim: false };
  const csvPair = keys.get('csv');
  if (csvPair) {
    const m = asMap(csvPair.value, problems, 'csv');
    if (m) {
      const k = keysOf(m, ['ltrim'], 'csv', problems);
      const l = k.get('ltrim');
      if (l) csv.ltrim = parseBoolean(l.value, problems, 'csv.ltrim') ?? false;
    }
  }

  let delimiter: Delimiter | null = null;
  const delimiterPair = keys.get('delimiter');
  if (delimiterPair) {
    const d = text(delimiterPair.value, problems, 'delimiter');
    if (d !== null) {
      delimiter = parseDelimiterName(d);
      if (delimiter === null) problems.at(delimiterPair.value as Node, `delimiter must be ",", ";" or tab, not ${quoteValue(d)}`);
    }
  }

  const timestamps = keys.get('timestamps') ? parseTimestampSettings(keys.get('timestamps')!.value, problems) : { format: { kind: 'iso' as const }, zone: { kind: 'local' as const } };
  let unit: DurationUnit = 'seconds';
  const durPair = keys.get('durations');
  if (durPair) unit = parseUnit(durPair.value, problems) ?? 'seconds';

  const defaults: Defaults = { timestamps, unit, columnNames };
  const fieldsPair = keys.get('fields');
  let fields: FieldSpec[] = [];
  if (!fieldsPair) problems.at(top, 'the profile has no fields: (the mapping of the usage columns)');
  else fields = parseFields(fieldsPair.value, defaults, problems, 'fields', true);

  const forwarded = keys.get('forwarded') ? parseForwarded(keys.get('forwarded')!.value, defaults, problems) : null;
  const dedupe = keys.get('dedupe') ? parseDedupe(keys.get('dedupe')!.value, defaults, problems) : null;

  if (problems.list.length > 0) throw new ConfigError(sortDiagnostics(problems.list));
  return {
    name,
    source: sourceText,
    hasHeader,
    origin,
    csv,
    delimiter,
    columnNames: Object.freeze(columnNames),
    fields: Object.freeze(fields),
    forwarded,
    dedupe,
  };
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map((x) => x.d);
}

function defaultReadFile(p: string): string {
  // capped: `--import /dev/zero` or a huge file ends promptly with a message
  const buf = readCapped(p);
  if (buf === null) throw new ConfigError([{ file: p, line: 0, column: 0, message: `larger than ${limitText()}: not an import profile (a profile is a short YAML file)` }]);
  return buf.toString('utf8');
}

/**
 * NAME of a built-in profile, or a path to a YAML file.
 * Throws ConfigError (exit 78) listing every problem as file:line:column, and
 * InputError (exit 66) when the file cannot be read.
 */
export function loadProfile(nameOrPath: string, readFile: (p: string) => string = defaultReadFile): ImportProfile {
  const builtin = BUILTIN_PROFILE_TEXTS[nameOrPath];
  if (builtin !== undefined && Object.prototype.hasOwnProperty.call(BUILTIN_PROFILE_TEXTS, nameOrPath)) {
    return parseProfile(builtin, `builtin:${nameOrPath}.yaml`, nameOrPath, `builtin:${nameOrPath}`);
  }
  const looksLikePath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  if (!looksLikePath) {
    throw new ConfigError([
      {
        file: nameOrPath,
        line: 0,
        column: 0,
        message: `no built-in import profile ${quoteValue(nameOrPath)} (built-in: ${BUILTIN_PROFILES.join(', ')}; or give the path of a profile .yaml file)`,
      },
    ]);
  }
  let content: string;
  try {
    content = readFile(nameOrPath);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new InputError(`${nameOrPath}: cannot read import profile: ${fsErrorText(err)}`);
  }
  // A BOM is accepted, as in the usage files (SPEC §2).
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const base = path.basename(nameOrPath).replace(/\.ya?ml$/i, '');
  return parseProfile(content, nameOrPath, base, nameOrPath);
}
