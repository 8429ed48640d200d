import type { Dec } from '../../money/decimal';
import type { CustomerReport, Figures, ServiceReport } from '../../statistics/service-report';
import { batched } from '../chunks';
import type { Painter } from '../table';
import { terminalSafe } from '../terminal-safe';
import { figuresText } from './figures-text';

/** A met or missed target, in words and a sign, so that it reads without colour. */
function mark(met: boolean | null, p: Painter): string {
  return met === null ? '' : met ? p.good('✓ met') : p.bad('✗ missed');
}

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

const dash = (s: string | null): string => s ?? '–';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function columns(widths: number[], cells: string[], rightFrom = 1): string {
  return '  ' + cells.map((c, i) => pad(c, widths[i]!, i >= rightFrom)).join('  ');
}

const SUMMARY_HEAD = ['channel', 'offered', 'answered', 'abandoned', 'abandoned %', 'service level %', 'avg response s', 'avg handled s', 'billed min', 'diverted'];

function summaryRow(name: string, f: Figures): string[] {
  const t = figuresText(f);
  return [name, String(t.offered), String(t.answered), String(t.abandoned), dash(t.abandonment_percent), dash(t.service_level_percent), dash(t.average_response_seconds), dash(t.average_handled_seconds), t.billed_minutes, String(t.diverted)];
}

const DETAIL_HEAD = ['', 'voice offered', 'abandoned', 'service level %', '', 'avg response s', 'chat offered', 'abandoned', 'avg response s', ''];

function detailRow(label: string, voice: Figures, chat: Figures, p: Painter): string[] {
  const v = figuresText(voice);
  const c = figuresText(chat);
  return [
    label,
    String(v.offered),
    String(v.abandoned),
    dash(v.service_level_percent),
    voice.serviceLevelMet === false ? p.bad('✗ below') : '',
    dash(v.average_response_seconds) + (voice.responseMet === false ? ' ✗' : ''),
    String(c.offered),
    String(c.abandoned),
    dash(c.average_response_seconds) + (chat.responseMet === false ? ' ✗' : ''),
    '',
  ];
}

function table(head: string[], rows: string[][], p: Painter, rightFrom = 1): string[] {
  // widths from the plain text (a painted cell is longer than it shows)
  // eslint-disable-next-line no-control-regex
  const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
  const widths = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...plain(r[i] ?? '')].length)));
  const fit = (cells: string[]) => '  ' + cells.map((c, i) => {
    const extra = c.length - plain(c).length;
    return pad(c, widths[i]! + extra, i >= rightFrom);
  }).join('  ');
  return [p.label(columns(widths, head, rightFrom).trimEnd()), ...rows.map((r) => fit(r).trimEnd())];
}

function target(d: Dec | null, unit: string): string {
  return d === null ? 'no target' : `target ${d.toFixed()}${unit}`;
}

function customerBlock(c: CustomerReport, p: Painter): string[] {
  const out: string[] = [];
  const s = c.sla;
  out.push(p.heading(`${terminalSafe(c.customerName)} (${terminalSafe(c.customerId)})`));
  out.push(...table(SUMMARY_HEAD, [summaryRow('voice', c.channels.voice), summaryRow('chat', c.channels.chat)], p));
  const sl = s.serviceLevelPercent === null ? 'not evaluated' : `${s.serviceLevelPercent.toFixed(2)}%`;
  const within = s.targets.answerWithinSeconds === null ? '' : ` answered within ${s.targets.answerWithinSeconds} s`;
  out.push(`  SLA service level${within}: ${sl} (${target(s.targets.serviceLevelPercent, '%')}) ${mark(s.met.serviceLevel, p)}`.trimEnd());
  for (const ch of ['voice', 'chat'] as const) {
    const avg = s.averageResponseSeconds[ch];
    const max = s.targets.maxAverageResponseSeconds[ch];
    out.push(`  SLA average ${ch} response: ${avg === null ? 'not evaluated' : `${avg.toFixed()} s`} (${max === null ? 'no target' : `at most ${max.toFixed()} s`}) ${mark(s.met.averageResponse[ch], p)}`.trimEnd());
  }
  out.push(s.misses > 0 ? p.bad(`  ${s.misses} target${s.misses === 1 ? '' : 's'} missed: SLA credit ${s.creditPercent.toFixed()}% on the invoice`) : p.dim(s.hasTerms ? '  all SLA targets met: no credit' : '  no SLA terms'));
  out.push('');
  out.push(p.label('  By day (local dates; ✗ marks a day below the service-level target or above the average response maximum)'));
  const dayRows: string[][] = [];
  for (let i = 0; i < c.days.length; i += 2) {
    const v = c.days[i]!;
    const ch = c.days[i + 1]!;
    dayRows.push(detailRow(`${v.date} ${WEEKDAYS[v.weekday]}`, v.figures, ch.figures, p));
  }
  out.push(...table(['date', ...DETAIL_HEAD.slice(1)], dayRows, p));
  out.push('');
  out.push(p.label('  By hour of the day (local time, all days of the period)'));
  const hourRows: string[][] = [];
  for (let i = 0; i < c.hours.length; i += 2) {
    const v = c.hours[i]!;
    const ch = c.hours[i + 1]!;
    const h = String(v.hour).padStart(2, '0');
    hourRows.push(detailRow(`${h}:00–${String(v.hour + 1).padStart(2, '0')}:00`, v.figures, ch.figures, p));
  }
  out.push(...table(['hour', ...DETAIL_HEAD.slice(1)], hourRows, p));
  return out;
}

/** `report --format table`: per customer, the channels against the SLA, then by day and by hour. */
export function* reportTableChunks(r: ServiceReport, p: Painter): Generator<string> {
  yield* batched(lines(r, p));
}

function* lines(r: ServiceReport, p: Painter): Generator<string> {
  yield p.heading(r.period === null ? 'Service report' : `Service report, ${r.period.start} to ${r.period.end}`) + '\n\n';
  for (const c of r.customers) {
    for (const l of customerBlock(c, p)) yield l + '\n';
    yield '\n';
  }
  if (r.customers.length === 0) yield p.dim('No contacts.') + '\n\n';
  const k = r.control;
  yield p.dim(`Records: ${k.recordsRead} read, ${k.recordsBilled} counted, ${k.recordsRejected} rejected, ${k.recordsOutsidePeriod} outside the period`) + '\n';
}
