/**
 * SPEC §4.4, the prepaid diversion ledger, computed from per-version sums.
 *
 * Taken record by record, a fee block is charged while the balance is less than the
 * next transfer cost. Within one fee price that gives, whatever the order,
 * blocks = max(0, ceil((costs − opening) / fee)): costs are never negative, so the
 * deepest the balance ever needs to reach is at the last record. The fee can change
 * only where the plan version changes, and versions are contiguous in time, so the
 * customer's records fall into version segments in date order: the ledger walks
 * those segments, each with its own fee and summed cost, and never needs a record.
 * All figures are integers in minor units.
 */
export interface LedgerSegment {
  /** Fee of the version, minor units (> 0). */
  fee: bigint;
  /** Sum of the segment's rounded transfer costs, minor units. */
  cost: bigint;
}

export interface LedgerResult {
  /** Blocks charged in each segment, in the same order. */
  blocks: bigint[];
  closing: bigint;
}

export function runLedger(opening: bigint, segments: readonly LedgerSegment[]): LedgerResult {
  let balance = opening;
  const blocks: bigint[] = [];
  for (const s of segments) {
    const step = ledgerStep(balance, s.fee, s.cost);
    blocks.push(step.blocks);
    balance = step.after;
  }
  return { blocks, closing: balance };
}

/** One record at a time, as the contract words it: for explanations and to check runLedger. */
export function ledgerStep(balance: bigint, fee: bigint, cost: bigint): { blocks: bigint; after: bigint } {
  if (cost <= balance) return { blocks: 0n, after: balance - cost };
  const blocks = (cost - balance + fee - 1n) / fee;
  return { blocks, after: balance + blocks * fee - cost };
}
