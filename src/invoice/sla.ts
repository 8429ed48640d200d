import { Dec, ZERO } from '../money/decimal';
import { CHANNELS } from '../pricing/types';
import type { PlanVersion } from '../pricing/types';
import type { SlaSummary } from './types';

/**
 * SPEC §4.5, the SLA figures, written once: the invoice's SLA statement and the
 * service report (`callbill report`, docs/reference.md §10) call these functions, so
 * a customer's figures in the report and on its invoice cannot differ.
 */

/** A figure exact and as shown: half-up to 2 decimals. */
export interface SlaFigure {
  exact: Dec;
  shown: Dec;
}

function figure(exact: Dec): SlaFigure {
  return { exact, shown: exact.toDecimalPlaces(2, Dec.ROUND_HALF_UP) };
}

/**
 * Service level: contacts answered within the threshold over contacts offered
 * (answered + abandoned), in percent; null when none was offered.
 */
export function serviceLevel(within: number, offered: number): SlaFigure | null {
  return offered > 0 ? figure(new Dec(within).times(100).div(offered)) : null;
}

/** A share in percent (abandonment: abandoned over offered); null over nothing. */
export function percentOf(part: number, whole: number): SlaFigure | null {
  return serviceLevel(part, whole);
}

/** Average response: the mean of the known response times, in seconds; null when none is known. */
export function averageResponse(sumMs: bigint, count: number): SlaFigure | null {
  return count > 0 ? figure(new Dec(sumMs.toString()).div(1000).div(count)) : null;
}

/** A mean of whole seconds (handled time); null over no contact. */
export function averageSeconds(sum: number, count: number): SlaFigure | null {
  return count > 0 ? figure(new Dec(sum).div(count)) : null;
}

/** How the `sla` block shows a percentage: "83.33", "100.00". */
export function percentText(d: Dec | null): string | null {
  return d === null ? null : d.toFixed(2);
}

/** How the `sla` block shows seconds: at most 2 decimals, no trailing zeros ("21.5"). */
export function secondsText(d: Dec | null): string | null {
  return d === null ? null : d.toFixed();
}

/** What the SLA evaluation needs from the fold, per customer. */
export interface SlaCounts {
  voiceOffered: number;
  /** Voice contacts answered within each of `thresholds`. */
  voiceWithin: readonly number[];
  thresholds: readonly number[];
  response: { voice: { sumMs: bigint; count: number }; chat: { sumMs: bigint; count: number } };
}

/** The count within the threshold of these terms (null without a service-level target). */
export function withinFor(counts: { voiceWithin: readonly number[]; thresholds: readonly number[] }, answerWithinSeconds: number | null): number | null {
  if (answerWithinSeconds === null) return null;
  return counts.voiceWithin[counts.thresholds.indexOf(answerWithinSeconds)] ?? 0;
}

/** SPEC §4.5: service level and average response, against the terms in effect on the period's last day. */
export function evaluateSla(acc: SlaCounts, version: PlanVersion | null): SlaSummary {
  const terms = version?.sla ?? null;
  const missed: string[] = [];
  const met: SlaSummary['met'] = { serviceLevel: null, averageResponse: { voice: null, chat: null } };
  let serviceLevelPercent: Dec | null = null;
  if (acc.voiceOffered > 0 && terms?.serviceLevel) {
    const within = withinFor(acc, terms.serviceLevel.answerWithinSeconds) ?? 0;
    const sl = serviceLevel(within, acc.voiceOffered)!;
    serviceLevelPercent = sl.shown;
    met.serviceLevel = !sl.exact.lt(terms.serviceLevel.targetPercent);
    if (!met.serviceLevel) {
      missed.push(`service level ${sl.shown.toFixed(2)}% below ${terms.serviceLevel.targetPercent.toFixed()}% within ${terms.serviceLevel.answerWithinSeconds} s`);
    }
  }
  const averageResponseSeconds: SlaSummary['averageResponseSeconds'] = { voice: null, chat: null };
  for (const ch of CHANNELS) {
    const avg = averageResponse(acc.response[ch].sumMs, acc.response[ch].count);
    if (avg === null) continue;
    averageResponseSeconds[ch] = avg.shown;
    const max = terms?.maxAverageResponse[ch] ?? null;
    if (max === null) continue;
    met.averageResponse[ch] = !avg.exact.gt(max);
    if (!met.averageResponse[ch]) missed.push(`average ${ch} response ${avg.shown.toFixed()} s above ${max.toFixed()} s`);
  }
  let creditPercent = ZERO;
  if (terms && missed.length > 0) {
    creditPercent = terms.creditPercentPerMiss.times(missed.length);
    if (terms.creditCapPercent !== null && creditPercent.gt(terms.creditCapPercent)) creditPercent = terms.creditCapPercent;
    // SPEC §8: the credit never exceeds its base, whatever the misses add up to
    if (creditPercent.gt(100)) creditPercent = new Dec(100);
  }
  const targets: SlaSummary['targets'] = {
    serviceLevelPercent: terms?.serviceLevel?.targetPercent ?? null,
    answerWithinSeconds: terms?.serviceLevel?.answerWithinSeconds ?? null,
    maxAverageResponseSeconds: { voice: terms?.maxAverageResponse.voice ?? null, chat: terms?.maxAverageResponse.chat ?? null },
  };
  return { serviceLevelPercent, averageResponseSeconds, misses: missed.length, missed, met, creditPercent, hasTerms: terms !== null, targets };
}
