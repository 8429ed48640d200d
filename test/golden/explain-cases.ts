/**
 * The golden cases of issue #7: each runs the built CLI on a fixture folder under
 * fixtures/explain/ and compares stdout with `expected/<name>.out` there, byte for
 * byte; stderr and the exit code are written out below. Every figure in those files
 * is worked by hand in the folder's README.md.
 */
export interface GoldenCase {
  name: string;
  folder: string;
  args: string[];
  exit: number;
  stderr: string;
}

const L = 'fixtures/explain/ledger';
const V = 'fixtures/explain/version-boundary';
const N = 'fixtures/explain/not-billed';
const C = 'fixtures/explain/compare';

const ledger = (record: string, ...more: string[]): string[] => [
  'explain', '-p', `${L}/prices.yaml`, '--period', '2026-10', '--balances-in', `${L}/balances.csv`, '--record', record, ...more, `${L}/usage.csv`,
];
const boundary = (record: string, ...more: string[]): string[] => ['explain', '-p', `${V}/prices.yaml`, '--period', '2026-10', '--record', record, ...more, `${V}/usage.csv`];
const notBilled = (record: string): string[] => ['explain', '-p', `${N}/prices.yaml`, '--period', '2026-10', '--record', record, `${N}/usage.csv`];
const compare = (...more: string[]): string[] => ['compare', '-p', `${C}/a.yaml`, '--against', `${C}/b.yaml`, '--period', '2026-10', ...more, `${C}/usage.csv`];

const noteRejected = (n: number): string =>
  `callbill: note: ${n} other row${n === 1 ? ' is' : 's are'} rejected (\`callbill check\` lists them); they are on no invoice and not in these figures\n`;

export const GOLDEN_CASES: GoldenCase[] = [
  // a tie on started_at (L-01 before L-02 by record_id), the longest prefix 1242 over 1, a fee block
  { name: 'explain-L-01', folder: L, args: ledger('L-01'), exit: 0, stderr: '' },
  { name: 'explain-L-02', folder: L, args: ledger('L-02'), exit: 0, stderr: '' },
  // a transfer that needs two blocks at once
  { name: 'explain-L-04', folder: L, args: ledger('L-04'), exit: 0, stderr: '' },
  // a new fee block for a shortfall of one cent (7.31 < 7.32); an after-hours band; a local timestamp
  { name: 'explain-L-06', folder: L, args: ledger('L-06'), exit: 0, stderr: '' },
  { name: 'explain-L-06-json', folder: L, args: ledger('L-06', '--format', 'json'), exit: 0, stderr: '' },
  // abandoned, yet diverted: 0 s billed, the transfer still drawn from the balance
  { name: 'explain-L-07', folder: L, args: ledger('L-07'), exit: 0, stderr: '' },
  {
    name: 'invoice',
    folder: L,
    args: ['invoice', '-p', `${L}/prices.yaml`, '--period', '2026-10', '--issue-date', '2026-11-02', '--balances-in', `${L}/balances.csv`, `${L}/usage.csv`],
    exit: 0,
    stderr: '',
  },

  // exactly at local midnight of effective_from: the new version
  { name: 'explain-B-2', folder: V, args: boundary('B-2'), exit: 0, stderr: '' },
  // one second earlier: the old version
  { name: 'explain-B-3', folder: V, args: boundary('B-3'), exit: 0, stderr: '' },
  // graduated tiers: the record straddles the 10-minute bound of its version
  { name: 'explain-B-4', folder: V, args: boundary('B-4'), exit: 0, stderr: '' },
  { name: 'explain-B-4-json', folder: V, args: boundary('B-4', '--format', 'json'), exit: 0, stderr: '' },
  { name: 'explain-B-6', folder: V, args: boundary('B-6'), exit: 0, stderr: '' },
  { name: 'explain-B-7', folder: V, args: boundary('B-7'), exit: 0, stderr: '' },
  // a local time that occurs twice (DST fall-back): the earlier instant
  { name: 'explain-B-8', folder: V, args: boundary('B-8'), exit: 0, stderr: '' },
  { name: 'invoice', folder: V, args: ['invoice', '-p', `${V}/prices.yaml`, '--period', '2026-10', '--issue-date', '2026-11-02', `${V}/usage.csv`], exit: 0, stderr: '' },

  // N-1 is in the file twice: both copies are rejected, each naming the other
  { name: 'explain-N-1', folder: N, args: notBilled('N-1'), exit: 65, stderr: noteRejected(2) },
  { name: 'explain-N-2', folder: N, args: notBilled('N-2'), exit: 0, stderr: noteRejected(4) },
  { name: 'explain-N-3', folder: N, args: notBilled('N-3'), exit: 65, stderr: noteRejected(3) },
  { name: 'explain-N-4', folder: N, args: notBilled('N-4'), exit: 65, stderr: noteRejected(3) },

  // B raises voice (0.80 → 0.90) and lowers chat (0.60 → 0.50)
  { name: 'compare', folder: C, args: compare(), exit: 0, stderr: '' },
  { name: 'compare-csv', folder: C, args: compare('--format', 'csv'), exit: 0, stderr: '' },
  { name: 'compare-json', folder: C, args: compare('--format', 'json'), exit: 0, stderr: '' },
];

/** Runs that print nothing on stdout: the message is the whole answer. */
export const ERROR_CASES: GoldenCase[] = [
  { name: 'unknown record', folder: N, args: notBilled('N-9'), exit: 65, stderr: `callbill: no record with record_id "N-9" in ${N}/usage.csv (5 rows read)\n` },
  {
    name: 'price lists in two currencies',
    folder: C,
    args: ['compare', '-p', `${C}/a.yaml`, '--against', `${C}/b-gbp.yaml`, `${C}/usage.csv`],
    exit: 78,
    stderr: `${C}/b-gbp.yaml: currency GBP, but ${C}/a.yaml is in EUR: compare needs both price lists in one currency\ncallbill: 1 problem found; nothing was written\n`,
  },
  { name: 'explain without --record', folder: N, args: ['explain', '-p', `${N}/prices.yaml`, `${N}/usage.csv`], exit: 64, stderr: "callbill: required option '--record <id>' not specified (or --extras FILE --row N)\n" },
  { name: 'compare without --against', folder: C, args: ['compare', '-p', `${C}/a.yaml`, `${C}/usage.csv`], exit: 64, stderr: "callbill: required option '--against <b.yaml>' not specified\n" },
];
