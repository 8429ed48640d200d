/**
 * A deterministic usage file for tests of --jobs: a month of varied rows for the
 * customers of price-lists/default.yaml (and unlisted ones, on the default plan),
 * with the odd cells of real exports, and the troubles asked for.
 */
export interface GenOptions {
  rows: number;
  seed?: number;
  /** Line ends: LF, CRLF, or both mixed. */
  eol?: 'lf' | 'crlf' | 'mixed';
  bom?: boolean;
  /** Share of rows with a quoted note that holds line breaks, commas and quotes. */
  multiline?: number;
  /** Row indexes (0-based) that are bad in some way (bad timestamp, channel, duration…). */
  bad?: number[];
  /** [from, to]: row `to` repeats the record id of row `from`. */
  duplicates?: Array<[number, number]>;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CUSTOMERS = ['ACME', 'GLOBEX', 'INITECH', 'HOOLI', 'UMBRELLA', 'STARK'];
const BAD = [
  (c: string[]) => (c[3] = '2026-10-32T10:00:00Z'),
  (c: string[]) => (c[2] = 'fax'),
  (c: string[]) => (c[4] = '-5'),
  (c: string[]) => (c[0] = ''),
  (c: string[]) => (c[7] = 'international') && (c[8] = 'n/a'),
  (c: string[]) => c.splice(5, 1),
];

export function generateUsage(o: GenOptions): string {
  const rand = prng(o.seed ?? 7);
  const bad = new Set(o.bad ?? []);
  const dupOf = new Map((o.duplicates ?? []).map(([from, to]) => [to, from]));
  const id = (i: number) => `R-${String(i).padStart(7, '0')}`;
  const lines: string[] = ['record_id,customer_id,channel,started_at,duration_seconds,response_seconds,status,diversion,destination,diverted_seconds,notes'];
  for (let i = 0; i < o.rows; i++) {
    const day = 1 + Math.floor((i / o.rows) * 31);
    const h = Math.floor(rand() * 24);
    const m = Math.floor(rand() * 60);
    const local = `2026-10-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`;
    const form = rand();
    const started = form < 0.4 ? local : form < 0.7 ? `${local}Z` : form < 0.9 ? `${local}+01:00` : local.replace('T', ' ');
    const voice = rand() < 0.7;
    const abandoned = rand() < 0.03;
    const duration = abandoned ? '0' : rand() < 0.2 ? (rand() * 900).toFixed(1) : String(Math.floor(rand() * 1200));
    let diversion = '';
    let destination = '';
    if (voice && rand() < 0.1) {
      diversion = rand() < 0.6 ? 'mobile' : 'international';
      destination = diversion === 'international' ? ['"+44 20 7946 0000"', '00351 21 000 0000', '+1 (242) 555-0100', '+49 30 1234567'][Math.floor(rand() * 4)]! : '';
    }
    let note = '';
    if (o.multiline && rand() < o.multiline) note = `"called back,\nsaid ""thanks""${rand() < 0.5 ? '\r\n' : '\n'}and asked for a call about the invoice next week"`;
    else if (rand() < 0.05) note = '"plain, quoted"';
    const cells = [
      dupOf.has(i) ? id(dupOf.get(i)!) : id(i),
      CUSTOMERS[Math.floor(rand() * CUSTOMERS.length)]!,
      voice ? (rand() < 0.95 ? 'voice' : 'Voice') : 'chat',
      started,
      duration,
      rand() < 0.05 ? '' : String(Math.floor(rand() * 60)),
      abandoned ? 'abandoned' : rand() < 0.8 ? 'answered' : '',
      diversion,
      destination,
      diversion && rand() < 0.5 ? String(Math.floor(rand() * 300)) : '',
      note,
    ];
    if (bad.has(i)) BAD[i % BAD.length]!(cells);
    lines.push(cells.join(','));
    if (rand() < 0.002) lines.push(''); // an empty line now and then
  }
  const eol = (k: number) => (o.eol === 'crlf' ? '\r\n' : o.eol === 'mixed' ? (k % 3 === 0 ? '\r\n' : '\n') : '\n');
  let text = '';
  for (let k = 0; k < lines.length; k++) text += lines[k] + eol(k);
  return (o.bom ? '\uFEFF' : '') + text;
}
