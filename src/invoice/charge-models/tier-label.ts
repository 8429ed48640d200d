
import type { TierStep } from '../../pricing/types';
import { groupThousands } from '../amounts';

/** "up to 10,000 min", "10,001–50,000 min", "over 50,000 min". */
export function tierLabel(steps: readonly TierStep[], i: number): string {
  const step = steps[i]!;
  const prev = i > 0 ? steps[i - 1]!.upToMinutes : null;
  const upper = step.upToMinutes;
  if (prev === null && upper === null) return 'all minutes';
  if (prev === null) return `up to ${groupThousands(upper!)} min`;
  if (upper === null) return `over ${groupThousands(prev)} min`;
  const lower = prev.isInteger() ? `${groupThousands(prev.plus(1))}` : `over ${groupThousands(prev)}`;
  return `${lower}–${groupThousands(upper)} min`;
}

export function stepIndexFor(steps: readonly TierStep[], count: number): number {
  // bounds are inclusive: a count exactly on a bound belongs to that step
  for (let i = 0; i < steps.length; i++) {
    const b = steps[i]!.upToSeconds;
    if (b === null || count <= b) return i;
  }
  return steps.length - 1;
}

