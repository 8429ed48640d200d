/**
 * `invoice --documents DIR` through the BUILT cli: for every shipped fixture, each invoice's
 * HTML and PDF carry its number, every line's description and amount and the totals,
 * equal to the JSON of the same run; the files are byte-identical run after run; names in
 * Latin, Greek and Cyrillic come out, a character the font lacks is an error naming it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import { flat, grouped, htmlText, pdfText, pdfTexts, squeezed } from './text-of';
import type { PdfText } from './text-of';
import { withoutUnlistedNotice } from '../helpers/unlisted';


interface Json {
  invoices: Array<{
    invoice_number: string;
    customer_name: string;
    currency: string;
    lines: Array<{ description: string; amount: string }>;
    subtotal: string;
    tax: string;
    total: string;
  }>;
}

const FIXTURES: Array<{ name: string; args: string[] }> = [
  { name: 'example-2026-10', args: ['--period', '2026-10', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'] },
  { name: 'spec-example', args: ['--period', '2026-10', '-p', 'fixtures/spec-example/prices.yaml', 'fixtures/spec-example/usage.csv'] },
  { name: 'diversion-chain oct', args: ['--period', '2026-10', '-p', 'fixtures/diversion-chain/prices.yaml', 'fixtures/diversion-chain/oct.csv'] },
  {
    name: 'diversion-chain nov',
    args: ['--period', '2026-11', '-p', 'fixtures/diversion-chain/prices.yaml', '--balances-in', 'fixtures/diversion-chain/balances-2026-10.csv', 'fixtures/diversion-chain/nov.csv'],
  },
  { name: 'bands-new-york', args: ['-p', 'fixtures/terms/bands-new-york/prices.yaml', 'fixtures/terms/bands-new-york/usage.csv'] },
  ...['graduated-kolkata', 'sla-minimum-bhd', 'volume-jpy'].map((t) => ({ name: t, args: ['--period', '2026-10', '-p', `fixtures/terms/${t}/prices.yaml`, `fixtures/terms/${t}/usage.csv`] })),
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-documents-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(FIXTURES)('documents of $name', ({ name, args }) => {
  it('show the JSON figures of every invoice, in the HTML and in the PDF', async () => {
    const out = join(dir, name.replace(/\W/g, '_'));
    const r = await runCliInProcess(['invoice', '--issue-date', '2026-12-01', '--format', 'json', '--documents', out, ...args]);
    // some fixtures bill customers not listed, under their default_plan: that notice only
    expect(withoutUnlistedNotice(r.stderr)).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.invoices.length).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(json.invoices.flatMap((i) => [`${i.invoice_number}.html`, `${i.invoice_number}.pdf`]).sort());
    const pdfs = pdfTexts(json.invoices.map((inv) => readFileSync(join(out, `${inv.invoice_number}.pdf`))));
    for (const [k, inv] of json.invoices.entries()) {
      const html = flat(htmlText(readFileSync(join(out, `${inv.invoice_number}.html`), 'utf8')));
      const pdf = flat(pdfs[k]!.text);
      for (const [what, text] of [['html', html], ['pdf', pdf]] as const) {
        const has = (s: string): void => {
          if (!text.includes(s)) throw new Error(`${what} of ${inv.invoice_number} lacks ${JSON.stringify(s)}`);
        };
        has(inv.invoice_number);
        has(inv.customer_name);
        for (const l of inv.lines) {
          has(l.description);
          has(grouped(l.amount));
        }
        has(`Subtotal ${inv.currency} ${grouped(inv.subtotal)}`);
        has(`${inv.currency} ${grouped(inv.tax)}`);
        has(`${inv.currency} ${grouped(inv.total)}`);
      }
    }
  });
});

describe('a run of the shipped example with --documents', () => {
  const args = ['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '--documents'];
  const files = ['fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'];

  it('writes byte-identical documents for the same inputs, dated from the issue date', async () => {
    const a = join(dir, 'same-a');
    const b = join(dir, 'same-b');
    expect((await runCliInProcess([...args, a, ...files])).code).toBe(0);
    expect((await runCliInProcess([...args, b, ...files])).code).toBe(0);
    for (const f of readdirSync(a)) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
    const pdf = readFileSync(join(a, 'ACME-2026-10.pdf')).toString('latin1');
    expect(pdf).toContain('(D:20261101000000Z)'); // CreationDate and ModDate
    expect(pdf).toMatch(/\/FontFile2/); // the font is embedded
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/); // and subset (a tag before its name)
    expect(pdf).toContain('/MediaBox [0 0 595.28 841.89]'); // A4
  });

  it('says "due on receipt" with payment terms of 0 days, and shows the seller, the bank and the statements', async () => {
    const out = join(dir, 'content');
    expect((await runCliInProcess([...args, out, ...files])).code).toBe(0);
    const html = flat(htmlText(readFileSync(join(out, 'ACME-2026-10.html'), 'utf8')));
    const pdf = flat((pdfText(readFileSync(join(out, 'ACME-2026-10.pdf')))).text);
    for (const text of [html, pdf]) {
      expect(text).toContain('due on receipt');
      expect(text).toContain('Callbill Contact Services, Lda.');
      expect(text).toContain('PT50 0002 0123 1234 5678 9015 4');
      expect(text).toContain('CGDIPTPL');
      expect(text).toContain('12 Harbour Street');
      // fixtures/example-2026-10/expected.md: ACME's diversion and SLA figures
      expect(text).toContain('Opening balance EUR 0.00');
      expect(text).toContain('Closing balance EUR 56.59');
      expect(text).toContain('3 transfers, 28 min, EUR 3.36');
      expect(text).toContain('80.00 % (target 80 %)');
      expect(text).toContain('14.5 s (maximum 30 s)');
      expect(text).toContain('67.86 s (maximum 60 s)');
      expect(text).toContain('EUR -17.03');
      expect(text).toContain('VAT 23 %');
    }
  });
});

describe('names in other scripts, and hostile names', () => {
  const prices = (customers: string, extra = ''): string => `currency: EUR
timezone: UTC
rounding: half-up
tax: { name: VAT, rate: 10 }
payment_terms_days: 30
default_plan: p
${extra}
customers:
${customers}
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: "1234.5", increment: { first: 60, next: 60 } }
`;
  const usage = (ids: string[]): string =>
    'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,outcome,diverted_to\n' +
    ids.map((id, i) => `R${i},${id},voice,2026-10-0${1 + (i % 9)}T10:00:00Z,600,10,answered,`).join('\n') +
    '\n';

  async function run(name: string, yaml: string, ids: string[], extra: string[] = []): Promise<{ code: number | null; stderr: string; out: string }> {
    const d = join(dir, name);
    rmSync(d, { recursive: true, force: true });
    const p = join(dir, `${name}.yaml`);
    const u = join(dir, `${name}.csv`);
    writeFileSync(p, yaml);
    writeFileSync(u, usage(ids));
    const r = await runCliInProcess(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '-p', p, '--documents', d, ...extra, u]);
    return { code: r.code, stderr: r.stderr, out: d };
  }

  it('writes Zürich, €, Łódź, Αθήνα and Москва as they are, with a due date 30 days on and grouped thousands', async () => {
    const r = await run('scripts', prices('  A: { name: "Zürich € Łódź Αθήνα Москва", plan: p }'), ['A']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdf = flat((pdfText(readFileSync(join(r.out, 'A-2026-10.pdf')))).text);
    const html = flat(htmlText(readFileSync(join(r.out, 'A-2026-10.html'), 'utf8')));
    for (const text of [pdf, html]) {
      expect(text).toContain('Zürich € Łódź Αθήνα Москва');
      expect(text).toContain('2026-12-01'); // 2026-11-01 + 30 days
      // 10 minutes at 1234.50 = 12345.00; VAT 10 % = 1234.50; total 13579.50 (by hand)
      expect(text).toContain('EUR 12,345.00');
      expect(text).toContain('EUR 13,579.50');
    }
  });

  it('refuses a character the font lacks, naming it (78), and writes nothing', async () => {
    const r = await run('cjk', prices('  A: { name: "東京 Trading", plan: p }'), ['A']);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('U+6771');
    expect(r.stderr).toContain('"東"');
    expect(existsSync(join(r.out, 'A-2026-10.pdf'))).toBe(false);
  });

  it('uses the font named by --font for every text of the PDF', async () => {
    const font = join(ROOT, 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSansMono.ttf');
    const r = await run('font', prices('  A: { name: "Alpha", plan: p }'), ['A'], ['--font', font]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdf = readFileSync(join(r.out, 'A-2026-10.pdf')).toString('latin1');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSansMono/);
    expect(pdf).not.toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
  });

  it('shows hostile names as text: markup, formulas, a bidi override and 300 characters', async () => {
    const long = 'W'.repeat(300);
    const customers = [
      '  IMG: { name: "<img src=x onerror=alert(1)><script>alert(2)</script>", plan: p }',
      '  HYP: { name: "=HYPERLINK(\\"http://evil.example\\",\\"pay here\\")", plan: p }',
      '  RLO: { name: "Acme \\u202eLTD gnitnuocca\\u202c", plan: p }',
      `  LONG: { name: "${long}", plan: p }`,
    ].join('\n');
    const r = await run('hostile', prices(customers), ['IMG', 'HYP', 'RLO', 'LONG']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const img = readFileSync(join(r.out, 'IMG-2026-10.html'), 'utf8');
    expect(img).not.toMatch(/<img|<script>/);
    expect(img).toContain('&#60;img src=x onerror=alert(1)&#62;&#60;script&#62;');
    expect(flat(htmlText(img))).toContain('<img src=x onerror=alert(1)><script>alert(2)</script>');
    const rlo = readFileSync(join(r.out, 'RLO-2026-10.html'), 'utf8');
    expect(rlo).not.toContain('\u202e');
    expect(rlo).toContain('Acme \\u202eLTD gnitnuocca\\u202c');
    const [rloRead, hypRead, longPdf] = pdfTexts(['RLO', 'HYP', 'LONG'].map((c) => readFileSync(join(r.out, `${c}-2026-10.pdf`)))) as [PdfText, PdfText, PdfText];
    const rloPdf = rloRead.text;
    expect(rloPdf).not.toContain('\u202e');
    expect(flat(rloPdf)).toContain('Acme \\u202eLTD gnitnuocca\\u202c');
    const hyp = flat(hypRead.text);
    expect(hyp).toContain('=HYPERLINK("http://evil.example","pay here")');
    expect(squeezed(longPdf.text)).toContain(long);
    expect(longPdf.pages).toBe(1); // the name wraps inside its block; the layout holds
    expect(squeezed(longPdf.text)).toContain(squeezed('Total due EUR 13,579.50'));
  });

  it('replaces characters a file name cannot hold', async () => {
    const r = await run('names', prices('  A: { name: "A", plan: p }', 'invoice_number: "INV/{customer}:{period}"'), ['A']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(r.out).sort()).toEqual(['INV_A_2026-10.html', 'INV_A_2026-10.pdf']);
  });
});
