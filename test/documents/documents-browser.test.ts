/**
 * The HTML of the shipped example in a real browser (Debian's chromium, driven by
 * playwright-core): it loads with no console error and no request besides the page
 * itself, prints to A4 on as many pages as its lines need, and shows the JSON's figures.
 * One browser launch for the whole file. Skipped, loudly, where /usr/bin/chromium is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeInChromium, openGuardedPage } from '../helpers/browser';
import { runCli } from '../helpers/run-cli';
import { flat, grouped, pdfTexts } from './text-of';

const maybe = describeInChromium('documents-browser.test.ts');

jest.setTimeout(300_000);

interface Inv {
  invoice_number: string;
  currency: string;
  lines: Array<{ description: string; amount: string }>;
  subtotal: string;
  tax: string;
  total: string;
}

maybe('the shipped example in headless Chromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'callbill-browser-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads without a console error or a request, prints on A4 and shows the JSON figures', async () => {
    const out = join(dir, 'docs');
    const r = runCli(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--documents', out, 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect(r.code).toBe(0);
    const invoices = (JSON.parse(r.stdout) as { invoices: Inv[] }).invoices;
    // a long invoice too: the example's lines forty times over need more than one page
    const long = { ...invoices[0]!, invoice_number: 'LONG-1', lines: Array.from({ length: 40 }, () => invoices[0]!.lines).flat() };

    // a fresh profile in the test's own folder
    const { browser, page, problems, visit } = await openGuardedPage(join(dir, 'profile'));
    try {
      const { renderDocumentHtml } = require('../../src/render/documents/html') as typeof import('../../src/render/documents/html');
      const { documentModel } = require('../../src/render/documents/model') as typeof import('../../src/render/documents/model');
      const longHtml = join(dir, 'LONG-1.html');

      // the printed PDFs are read together after the loop, in one child process
      const prints: Array<{ inv: Inv; pdf: Buffer }> = [];
      for (const inv of invoices) {
        await visit(pathToFileURL(join(out, `${inv.invoice_number}.html`)).href);
        const text = flat(await page.innerText('body'));
        expect(text).toContain(inv.invoice_number);
        for (const l of inv.lines) {
          expect(text).toContain(l.description);
          expect(text).toContain(grouped(l.amount));
        }
        expect(text).toContain(`${inv.currency} ${grouped(inv.total)}`);
        prints.push({ inv, pdf: Buffer.from(await page.pdf({ format: 'A4', printBackground: true })) });
        if (inv.invoice_number === 'ACME-2026-10') {
          await page.screenshot({ path: join(dir, 'acme.png'), fullPage: true, timeout: 120_000 });
          expect(readFileSync(join(dir, 'acme.png')).length).toBeGreaterThan(10_000);
          await page.setViewportSize({ width: 390, height: 844 }); // a phone
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
          expect(overflow).toBeLessThanOrEqual(0);
          await page.screenshot({ path: join(dir, 'acme-phone.png'), fullPage: true, timeout: 120_000 });
          await page.setViewportSize({ width: 900, height: 1200 });
        }
      }

      writeFileSync(longHtml, renderDocumentHtml(documentModel({ invoice: long as never, seller: null, billing: null })));
      await visit(pathToFileURL(longHtml).href);
      const texts = pdfTexts([...prints.map((x) => x.pdf), Buffer.from(await page.pdf({ format: 'A4', printBackground: true }))]);
      prints.forEach(({ inv }, k) => {
        expect([inv.invoice_number, texts[k]!.pages]).toEqual([inv.invoice_number, 1]); // the example's invoices have at most 20 lines: one page each
        expect(flat(texts[k]!.text)).toContain(grouped(inv.total));
      });
      const printed = texts[prints.length]!;
      // 760 lines at about 45 a page, and the header of the table on every page
      expect(printed.pages).toBeGreaterThanOrEqual(10);
      // every page that holds lines repeats the header; the last may hold only the
      // totals and the statements, which need none
      const headers = flat(printed.text).split('Unit price').length - 1;
      expect(headers).toBeGreaterThanOrEqual(printed.pages - 1);
      expect(headers).toBeLessThanOrEqual(printed.pages);
      expect(problems).toEqual([]);
      if (process.env.CALLBILL_KEEP_SCREENSHOTS) writeFileSync(process.env.CALLBILL_KEEP_SCREENSHOTS, readFileSync(join(dir, 'acme.png')));
    } finally {
      await browser.close();
    }
  });
});
