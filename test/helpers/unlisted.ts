/**
 * The notice every run of the shipped example month prints on stderr (docs/reference.md §3.5):
 * UMBRELLA is not listed in price-lists/default.yaml and is billed under default_plan standard.
 * Written out by hand: its 9 records are 7 voice and 2 chat rows of fixtures/example-2026-10
 * (grep -c UMBRELLA on voice.csv and chat.csv), none abandoned, all in October.
 */
export const EXAMPLE_UNLISTED_NOTICE =
  'callbill: 1 customer not listed under customers was billed under default_plan standard:\n' +
  '  UMBRELLA: 9 records\n' +
  'callbill: if they are customers, list them under customers in price-lists/default.yaml; unlisted_customers: reject makes their rows rejected rows instead (docs/reference.md §3.5)\n';

/** stderr without the notice about customers not listed (for tests about something else, on fixtures whose customers are all unlisted). */
export function withoutUnlistedNotice(stderr: string): string {
  return stderr.replace(/^callbill: \d+ customers? not listed under customers (?:was|were) billed under default_plan .*\n(?: {2}.*\n)*callbill: if they are customers, .*\n/m, '');
}
