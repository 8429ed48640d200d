/**
 * The HTML service report of the shipped example month in a real browser (Debian's
 * chromium, driven by playwright-core): it loads with no console error and no request
 * besides the page itself, shows each customer's figures and four charts with their
 * axis titles and legends, and prints. One browser launch. Skipped, loudly, where
 * /usr/bin/chromium is missing. CALLBILL_REPORT_PICTURE=<file.png> keeps the screenshot
 * (docs/report-example.png is made so).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeInChromium, openGuardedPage } from '../helpers/browser';
import { runCli } from '../helpers/run-cli';

const maybe = describeInChromium('report-browser.test.ts');

jest.setTimeout(300_000);

maybe('the HTML service report in headless Chromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'callbill-report-browser-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads without a console error or a request, shows the figures and the charts, and prints', async () => {
    const r = runCli(['report', '--period', '2026-10', '--format', 'html', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const file = join(dir, 'report.html');
    writeFileSync(file, r.stdout);

    const { browser, page, problems, visit } = await openGuardedPage(join(dir, 'profile'));
    try {
      await visit(pathToFileURL(file).href);
      const text = (await page.innerText('body')).replace(/\s+/g, ' ');
      expect(text).toContain('Acme Insurance Ltd (ACME)');
      // ACME's chat average (67.86 s, above 60 s) and Globex's service level (62.50 %, below 80 %)
      expect(text).toMatch(/Average response, chat 67\.86 s at most 60 s ✗ missed/);
      expect(text).toMatch(/Service level \(voice, answered within 20 s\) 62\.50 % at least 80 % ✗ missed/);
      // four charts per customer, each drawn (a box of real size), with their axis titles and legends
      const charts = await page.$$eval('svg.chart', (els) => els.map((e) => ({ w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height, text: e.textContent ?? '' })));
      expect(charts).toHaveLength(16);
      for (const c of charts) expect(c.w * c.h).toBeGreaterThan(300 * 150);
      const all = charts.map((c) => c.text).join(' ');
      for (const words of ['Contacts offered', 'Day of the month', 'Service level (%)', 'target 80%', 'Response time (seconds)', 'SLA threshold: answered within 20 s', 'Local hour of the day', 'voice', 'chat', 'day below target']) {
        expect(all).toContain(words);
      }
      // nothing wider than the page
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      const png = join(dir, 'report.png');
      await page.screenshot({ path: png, fullPage: false, timeout: 120_000 });
      expect(readFileSync(png).length).toBeGreaterThan(10_000);
      const pdf = Buffer.from(await page.pdf({ format: 'A4', printBackground: true }));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(problems).toEqual([]);
      const keep = process.env.CALLBILL_REPORT_PICTURE;
      if (keep) {
        await page.setViewportSize({ width: 900, height: 1700 });
        await page.screenshot({ path: keep, fullPage: false, timeout: 120_000 });
      }
    } finally {
      await browser.close();
    }
  });
});
