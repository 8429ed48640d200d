import { quoteValue } from '../errors';
import type { Explanation } from '../explain/explain-record';
import type { Painter } from './table';
import { terminalSafe } from './terminal-safe';

/** `callbill explain --format json`: the explanation as data, the same figures as the table. */
export function renderExplanationJson(e: Explanation): string {
  return JSON.stringify(e, null, 2) + '\n';
}

const LABEL_WIDTH = 13;

const STATUS_TEXT: Record<Explanation['status'], string> = {
  billed: 'billed',
  rejected: 'rejected',
  outside_period: 'outside the period',
};

/** `callbill explain --format table`: the same explanation for a person, one labelled section per step. */
export function renderExplanationTable(e: Explanation, p: Painter): string {
  const out: string[] = [];
  const section = (label: string, lines: string[]): void => {
    lines.forEach((l, i) => {
      const head = i === 0 ? label.padEnd(LABEL_WIDTH) : ' '.repeat(LABEL_WIDTH);
      // an empty cell would leave blanks at the end of the line
      out.push(`${i === 0 ? p.label(head) : head}${terminalSafe(l)}`.trimEnd());
    });
  };
  let title = `Record ${e.record_id}, ${e.source}: ${STATUS_TEXT[e.status]}`;
  if (e.status === 'billed' && e.invoice) title += ` on invoice ${e.invoice.invoice_number}`;
  if (e.period && (e.status === 'billed' || e.status === 'outside_period')) title += ` (period ${e.period.start} to ${e.period.end})`;
  out.push(p.heading(terminalSafe(title)), '');

  const width = Math.max(0, ...e.cells.map((c) => [...c.column].length));
  section('As read', e.cells.map((c) => `${c.column.padEnd(width)}  ${c.value}`));
  if (e.same_id_elsewhere.length > 0) section('Same id', e.same_id_elsewhere);

  if (e.rejection) {
    const r = e.rejection;
    section('Rejected', [`${e.source}: ${r.column}: ${r.message}${r.value === '' ? '' : ` (${quoteValue(r.value)})`}`]);
  }
  if (e.customer) {
    const c = e.customer;
    section('Customer', [`${c.id}${c.name !== null ? ` (${c.name})` : ''}, plan ${c.plan} (${c.plan_from === 'customers' ? 'listed under customers' : 'not listed: default_plan'})`]);
  }
  if (e.start) {
    const s = e.start;
    const as = s.given_as === 'local' ? `local time in ${s.timezone}` : s.given_as === 'utc' ? 'UTC' : 'with its UTC offset';
    const lines = [s.given_as === 'utc' ? `${s.given} (UTC)` : `${s.given} (${as}) = ${s.instant}`, `local: ${s.weekday} ${s.local}, UTC${s.utc_offset}, ${s.timezone}`];
    if (s.note) lines.push(s.note);
    section('Start', lines);
  }
  if (e.version) {
    const v = e.version;
    const lines = [
      `plan ${v.plan} from ${v.effective_from}: the latest version whose start (local midnight of effective_from) is not after the record's start${v.on_boundary ? '; the record starts exactly at that midnight' : ''}`,
      `  previous  ${v.previous ? `${v.previous.effective_from}, starts ${v.previous.starts}` : 'none'}`,
      `> chosen    ${v.effective_from}, starts ${v.starts} (${v.starts_local} local)`,
      `  next      ${v.next ? `${v.next.effective_from}, starts ${v.next.starts}, after the record` : 'none'}`,
    ];
    section('Version', lines);
  }
  if (e.band) {
    const b = e.band;
    const lines = [b.matched !== null ? `${b.matched} (${b.code}): the first band that matches` : (b.note ?? 'none')];
    const w = Math.max(0, ...b.checks.map((c) => [...c.band].length));
    for (const c of b.checks) lines.push(`  ${c.band.padEnd(w)}  ${c.matches === null ? '-  ' : c.matches ? 'yes' : 'no '}  ${c.reason}`);
    section('Band', lines);
  }
  if (e.billable) {
    const b = e.billable;
    const given = b.duration_given !== String(b.handled_seconds) && b.status === 'answered' ? `duration_seconds ${b.duration_given} counts as ${b.handled_seconds} s (a started second is a whole one); ` : '';
    section('Seconds', [`${given}${b.channel} increment first ${b.increment.first} s, next ${b.increment.next} s: ${b.arithmetic}`]);
  }
  if (e.usage) {
    const u = e.usage;
    const lines: string[] = [];
    if (u.pricing === 'flat') {
      lines.push(`${u.code} (from ${u.version}), per minute: ${u.pieces[0]!.arithmetic}`);
    } else {
      const t = u.tiers!;
      lines.push(`${u.code} (from ${u.version}), ${u.pricing} tiers; counted: ${t.counted}`);
      lines.push(`before this record: ${t.seconds_before} s (${t.earlier_versions_seconds} s of them in earlier versions); this record: seconds ${t.from} to ${t.to} of the count`);
      if (u.pricing === 'volume') {
        const at = t.steps.find((s) => s.seconds_of_this_record !== null)!;
        lines.push(`the period's total, ${t.period_total_seconds} s, falls in "${at.label}": all of the version's seconds at ${at.per_minute}`);
      }
      const lw = Math.max(0, ...t.steps.map((s) => [...s.label].length));
      for (const s of t.steps) {
        const bound = s.up_to_seconds === null ? 'no bound' : `≤ ${s.up_to_seconds} s`;
        const mine = s.seconds_of_this_record === null ? '' : `  this record: ${s.seconds_of_this_record} s`;
        lines.push(`  ${s.label.padEnd(lw)}  ${bound.padEnd(12)}  ${s.per_minute}${mine}`);
      }
      for (const piece of u.pieces) lines.push(`${piece.label}: ${piece.arithmetic}`);
      if (u.pieces.length !== 1) lines.push(`together: ${u.exact}`);
    }
    section('Usage', lines);
  }
  if (e.billable && e.billable.status === 'answered') {
    section('Contacts', [e.contacts ? `${e.contacts.code}: ${e.contacts.count} contact × ${e.contacts.per_contact} = ${e.contacts.exact}` : 'no per-contact fee in this version']);
    section('Surcharge', [e.surcharge ? `${e.surcharge.code}: ${e.surcharge.arithmetic}` : 'none']);
  }
  if (e.contribution) {
    const c = e.contribution;
    section('Exact share', [`${c.parts.length > 1 ? `${c.parts.join(' + ')} = ` : ''}${c.exact} of the usage charges, before rounding${c.exact.includes('(') ? ' (digits in brackets repeat)' : ''}`]);
  }
  if (e.diversion) {
    const d = e.diversion;
    const lines: string[] = [];
    if (d.kind === 'mobile') {
      lines.push(`mobile${d.destination_given.trim() !== '' ? ` to ${JSON.stringify(d.destination_given)}` : ''}: mobile.per_minute ${d.per_minute}`);
    } else {
      lines.push(`international to ${JSON.stringify(d.destination_given)} → digits ${d.destination_digits}`);
      if (d.prefix !== null) {
        const shorter = d.shorter_prefixes.length ? ` (${d.shorter_prefixes.join(', ')} match${d.shorter_prefixes.length === 1 ? 'es' : ''} too, shorter)` : '';
        lines.push(`longest matching prefix ${d.prefix}${shorter} → ${d.per_minute} a minute`);
      } else {
        lines.push(`no prefix in destinations matches → default_per_minute ${d.per_minute}`);
      }
    }
    const given = d.diverted_seconds_given === '' ? `diverted_seconds empty, so duration_seconds: ${d.handled_seconds} s` : `diverted_seconds ${d.diverted_seconds_given}`;
    lines.push(`transfer: ${given}; increment first ${d.increment.first} s, next ${d.increment.next} s: ${d.arithmetic}`);
    lines.push(`cost: ${d.per_minute} × ${d.transfer_seconds} s / 60 = ${d.cost_exact}, rounded per record: ${d.cost}`);
    section('Diversion', lines);
    const l = d.ledger;
    section('Ledger', [
      `fee ${l.fee} (version ${l.fee_version}); opening balance ${l.opening_balance} (${l.opening_from === 'balances-in' ? 'from --balances-in' : 'no --balances-in row'})`,
      `before this record: ${l.diverted_before} diverted record${l.diverted_before === 1 ? '' : 's'} of the customer in the period (by started_at, then record_id) cost ${l.cost_before}; ${l.blocks_before} fee block${l.blocks_before === 1 ? '' : 's'} charged; balance ${l.balance_before}`,
      `this record: ${l.step}`,
      `after this record: balance ${l.balance_after}, ${l.blocks_after} fee block${l.blocks_after === 1 ? '' : 's'} charged in the period so far`,
    ]);
  }
  if (e.invoice) section('Invoice', [`${e.invoice.invoice_number}: ${e.invoice.lines.length ? e.invoice.lines.join(', ') : (e.invoice.note ?? 'no line')}${e.diversion ? '; the transfer cost is drawn in the diversion summary' : ''}`]);
  if (e.notes.length) section('Notes', e.notes);
  return out.join('\n') + '\n';
}
