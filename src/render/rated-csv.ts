import type { RatedRecord } from '../rating/rate-record';
import { minorUnitsText } from '../money/round';
import { localText } from '../time/text';
import { csvLine, numberCell, textCell } from './csv-cell';
import { rateText } from './format-figures';

/**
 * The `--rated FILE` of `invoice` (issue #7): one row per billed record, so that a
 * customer who disputes a bill can check every call in a spreadsheet. Pure: one
 * rated record in, one CSV line out, so whatever rates records (the main thread,
 * a worker) can render rows and hand the text to the file writer.
 */
const RATED_HEADER = [
  'record_id',
  'source',
  'customer_id',
  'channel',
  'status',
  'started_at',
  'started_at_local',
  'plan',
  'version',
  'band',
  'billable_seconds',
  'line_code',
  'rate',
  'diversion',
  'diversion_prefix',
  'transfer_seconds',
  'transfer_rate',
  'transfer_cost',
] as const;

export function ratedHeaderLine(): string {
  return csvLine(RATED_HEADER.map((h) => textCell(h)));
}

/**
 * One billed record. `rate` is the flat per_minute of the record's version; it is
 * empty for tiered pricing, whose price depends on the period's running count
 * (the invoice lines, or `callbill explain`, show the steps). An abandoned contact
 * bills 0 s on no line: its line_code and band are empty.
 */
export function ratedCsvRow(rr: RatedRecord, inputNames: readonly string[], minor: number): string {
  const r = rr.record;
  const v = rr.version;
  const terms = r.channel === 'voice' ? v.voice : v.chat;
  const flat = terms && terms.pricing.kind === 'flat' ? rateText(terms.pricing.perMinute, minor) : '';
  const band = rr.band >= 0 ? v.bands[rr.band]!.name : '';
  const d = rr.diversion;
  return csvLine([
    textCell(r.recordId),
    textCell(`${inputNames[r.input] ?? '?'}:${r.line}`),
    textCell(r.customerId),
    textCell(r.channel),
    textCell(r.abandoned ? 'abandoned' : 'answered'),
    textCell(r.startedAt),
    textCell(localText(rr.localMs)),
    textCell(rr.plan.name),
    textCell(v.effectiveFrom),
    textCell(band),
    numberCell(String(rr.billableSeconds)),
    textCell(r.abandoned ? '' : `${r.channel}.usage`),
    numberCell(r.abandoned ? '' : flat),
    textCell(d ? d.kind : ''),
    textCell(d?.prefix ?? ''),
    numberCell(d ? String(d.seconds) : ''),
    numberCell(d ? rateText(d.rate, minor) : ''),
    numberCell(d ? minorUnitsText(d.costMinor, minor) : ''),
  ]);
}
