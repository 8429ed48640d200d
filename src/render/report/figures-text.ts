import { minutesQuantity } from '../../invoice/amounts';
import { percentText, secondsText } from '../../invoice/sla';
import type { Figures } from '../../statistics/service-report';

/** The figures F of docs/reference.md §10 as text, formatted by the invoice's `sla` functions. */
export interface FiguresText {
  offered: number;
  answered: number;
  abandoned: number;
  diverted: number;
  abandonment_percent: string | null;
  service_level_percent: string | null;
  average_response_seconds: string | null;
  average_handled_seconds: string | null;
  billed_minutes: string;
}

export function figuresText(f: Figures): FiguresText {
  return {
    offered: f.offered,
    answered: f.answered,
    abandoned: f.abandoned,
    diverted: f.diverted,
    abandonment_percent: percentText(f.abandonmentPercent),
    service_level_percent: percentText(f.serviceLevelPercent),
    average_response_seconds: secondsText(f.averageResponseSeconds),
    average_handled_seconds: secondsText(f.averageHandledSeconds),
    billed_minutes: minutesQuantity(f.billableSeconds),
  };
}

export const FIGURE_KEYS = [
  'offered',
  'answered',
  'abandoned',
  'diverted',
  'abandonment_percent',
  'service_level_percent',
  'average_response_seconds',
  'average_handled_seconds',
  'billed_minutes',
] as const;
