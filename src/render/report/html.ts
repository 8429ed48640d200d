import type { Dec } from '../../money/decimal';
import type { CustomerReport, Figures, ServiceReport } from '../../statistics/service-report';
import { figuresText } from './figures-text';
import { barChart } from './svg-bars';
import { esc } from './svg-core';
import { heatmap } from './svg-heatmap';
import { serviceLevelChart } from './svg-line';

/**
 * `report --format html`: one self-contained page (inline CSS and SVG, no script, no
 * external address), per customer its figures against the SLA targets and four charts.
 * A renderer: it formats and draws the report's figures, it computes none.
 */

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const CSS = `
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #000; background: #fff; margin: 24px auto; max-width: 820px; font-size: 14px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #000; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
p.note, figcaption .note { color: #333; font-size: 12px; }
table { border-collapse: collapse; margin: 6px 0 10px; }
th, td { border: 1px solid #777; padding: 3px 6px; text-align: right; }
table.summary { width: 100%; font-size: 13px; }
th { background: #eee; font-weight: bold; }
td.l, th.l { text-align: left; }
.missed { font-weight: bold; }
.met, .missed { white-space: nowrap; }
figure { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 2px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart text { font-family: inherit; font-size: 11px; fill: #000; }
svg.chart text.axis-title { font-size: 12px; font-weight: bold; }
svg.chart text.marker-label { font-size: 11px; font-weight: bold; }
svg.chart text.cell { font-size: 10px; }
section.customer { break-before: page; page-break-before: always; }
section.customer:first-of-type { break-before: auto; page-break-before: auto; }
@media print { body { margin: 0; max-width: none; } }
`;

function cell(s: string | number | null, cls?: string): string {
  return `<td${cls ? ` class="${cls}"` : ''}>${s === null ? '–' : esc(String(s))}</td>`;
}

function mark(met: boolean | null): string {
  if (met === null) return '<span class="na">not evaluated</span>';
  return met ? '<span class="met">✓ met</span>' : '<span class="missed">✗ missed</span>';
}

function summaryTable(c: CustomerReport): string {
  const head = ['Channel', 'Offered', 'Answered', 'Abandoned', 'Abandoned %', 'Service level %', 'Avg response (s)', 'Avg handled (s)', 'Billed minutes', 'Diverted'];
  const row = (name: string, f: Figures) => {
    const t = figuresText(f);
    return `<tr><td class="l">${name}</td>${cell(t.offered)}${cell(t.answered)}${cell(t.abandoned)}${cell(t.abandonment_percent)}${cell(t.service_level_percent)}${cell(t.average_response_seconds)}${cell(t.average_handled_seconds)}${cell(t.billed_minutes)}${cell(t.diverted)}</tr>`;
  };
  return `<table class="summary"><thead><tr>${head.map((h, i) => `<th${i === 0 ? ' class="l"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>${row('Voice', c.channels.voice)}${row('Chat', c.channels.chat)}</tbody></table>`;
}

function targetText(d: Dec | null, f: (d: Dec) => string): string {
  return d === null ? 'no target' : f(d);
}

function slaTable(c: CustomerReport): string {
  const s = c.sla;
  const t = s.targets;
  const rows = [
    [`Service level (voice, answered within ${t.answerWithinSeconds ?? '–'} s)`, s.serviceLevelPercent === null ? '–' : `${s.serviceLevelPercent.toFixed(2)} %`, targetText(t.serviceLevelPercent, (d) => `at least ${d.toFixed()} %`), mark(s.met.serviceLevel)],
    ['Average response, voice', s.averageResponseSeconds.voice === null ? '–' : `${s.averageResponseSeconds.voice.toFixed()} s`, targetText(t.maxAverageResponseSeconds.voice, (d) => `at most ${d.toFixed()} s`), mark(s.met.averageResponse.voice)],
    ['Average response, chat', s.averageResponseSeconds.chat === null ? '–' : `${s.averageResponseSeconds.chat.toFixed()} s`, targetText(t.maxAverageResponseSeconds.chat, (d) => `at most ${d.toFixed()} s`), mark(s.met.averageResponse.chat)],
  ];
  const body = rows.map((r) => `<tr><td class="l">${esc(r[0]!)}</td><td>${esc(r[1]!)}</td><td class="l">${esc(r[2]!)}</td><td class="l">${r[3]}</td></tr>`).join('');
  const credit = s.misses > 0 ? `<p><strong>${s.misses} target${s.misses === 1 ? '' : 's'} missed: the invoice carries an SLA credit of ${esc(s.creditPercent.toFixed())} % of the usage charges.</strong></p>` : `<p>${s.hasTerms ? 'All SLA targets met: no credit.' : 'No SLA terms in the price list for this customer.'}</p>`;
  return `<table class="sla"><thead><tr><th class="l">SLA figure for the period</th><th>Result</th><th class="l">Target</th><th class="l">Met?</th></tr></thead><tbody>${body}</tbody></table>${credit}`;
}

function asNumber(d: Dec | null): number | null {
  return d === null ? null : Number(d.toString());
}

/** Where a threshold in seconds falls on the histogram's x axis, in buckets from its left edge. */
export function thresholdPosition(seconds: number, bounds: readonly number[]): number {
  let lower = 0;
  for (let i = 0; i < bounds.length; i++) {
    const upper = bounds[i]!;
    if (seconds <= upper) return i + (seconds - lower) / (upper - lower);
    lower = upper;
  }
  return bounds.length + 0.5;
}

/** "≤5", "≤10" … ">300": a bucket holds the times above the bound before it, up to its own. */
export function bucketLabels(bounds: readonly number[]): string[] {
  return [...bounds.map((b) => `≤${b}`), `>${bounds[bounds.length - 1]}`];
}

function customerSection(c: CustomerReport, index: number, bounds: readonly number[]): string {
  const id = `c${index}`;
  const nDays = c.days.length / 2;
  const every = nDays > 31 ? Math.ceil(nDays / 31) : 1;
  const byDay = Array.from({ length: nDays }, (_, d) => ({ v: c.days[2 * d]!, ch: c.days[2 * d + 1]! }));
  const dayLabel = (date: string) => String(Number(date.slice(8, 10)));
  const contacts = barChart(
    byDay.map(({ v, ch }) => ({ label: dayLabel(v.date), voice: v.figures.offered, chat: ch.figures.offered })),
    { id: `${id}-days`, title: `Contacts offered per day, ${c.customerName}`, xTitle: `Day of the month (local date, ${byDay[0]?.v.date.slice(0, 7) ?? ''})`, yTitle: 'Contacts offered', labelEvery: every },
  );
  const target = asNumber(c.sla.targets.serviceLevelPercent);
  const sl = serviceLevelChart(
    byDay.map(({ v }) => ({ label: dayLabel(v.date), value: asNumber(v.figures.serviceLevelPercent) })),
    target,
    { title: `Voice service level per day, ${c.customerName}`, xTitle: 'Day of the month (local date); no point: no voice contact that day', labelEvery: every },
  );
  const within = c.sla.targets.answerWithinSeconds;
  const labels = bucketLabels(bounds);
  const hist = barChart(
    labels.map((label, i) => ({ label, voice: c.histogram.voice[i] ?? 0, chat: c.histogram.chat[i] ?? 0 })),
    {
      id: `${id}-resp`,
      title: `Distribution of response times, ${c.customerName}`,
      xTitle: 'Response time (seconds)',
      yTitle: 'Answered contacts',
      marker: within === null ? undefined : { at: thresholdPosition(within, bounds), label: `SLA threshold: answered within ${within} s` },
    },
  );
  const heat = heatmap(c.heat, WEEKDAYS, { title: `Contacts by weekday and hour, ${c.customerName}` });
  const name = esc(c.customerName);
  return `<section class="customer" id="${esc(id)}">
<h2>${name} <small>(${esc(c.customerId)})</small></h2>
${summaryTable(c)}
${slaTable(c)}
<figure><figcaption>Contacts offered per day (voice and chat)</figcaption>${contacts}</figure>
<figure><figcaption>Voice service level per day against the target</figcaption>${sl}</figure>
<figure><figcaption>Distribution of response times <span class="note">(answered contacts with a known response time; the bar ≤20 counts the times above 15 s up to 20 s)</span></figcaption>${hist}</figure>
<figure><figcaption>Contacts offered by weekday and local hour (both channels, the whole period)</figcaption>${heat}</figure>
</section>`;
}

export function reportHtml(r: ServiceReport): string {
  const period = r.period === null ? 'no records' : `${r.period.start} to ${r.period.end}`;
  const k = r.control;
  const sections = r.customers.map((c, i) => customerSection(c, i, r.bucketsS)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service report, ${esc(period)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Service report</h1>
<p>Period ${esc(period)} (local dates and hours in the price list's timezone). Records: ${k.recordsRead} read, ${k.recordsBilled} counted, ${k.recordsRejected} rejected, ${k.recordsOutsidePeriod} outside the period.</p>
<p class="note">Service level and average response are the figures of each customer's invoice (its SLA statement); a missed target is what the invoice's SLA credit is for.</p>
</header>
${sections || '<p>No contacts in the period.</p>'}
</body>
</html>
`;
}
