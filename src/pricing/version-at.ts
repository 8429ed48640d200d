import type { Plan, PlanVersion } from './types';

/** SPEC §4.1: the latest version whose effective_from local midnight is ≤ the instant; null before the first. */
export function versionAt(plan: Plan, ms: number): PlanVersion | null {
  const vs = plan.versions;
  for (let i = vs.length - 1; i >= 0; i--) {
    const v = vs[i]!;
    if (v.fromMs <= ms) return v;
  }
  return null;
}
