import { existsSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';

/** `describe`, or a loud skip where the browser is missing (`file` names the suite in the notice). */
export function describeInChromium(file: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  process.stderr.write(`${file}: ${CHROMIUM} is missing; the browser test is skipped (.ci/run installs it)\n`);
  return describe.skip;
}

export interface GuardedPage {
  browser: BrowserContext;
  page: Page;
  /** Console errors and warnings, page errors, and every request besides the page visited (refused). */
  problems: string[];
  /** Opens a file:// page; only that address may be requested. */
  visit(url: string): Promise<void>;
}

/**
 * One headless chromium with a fresh profile in `profileDir` (a folder of the test's own),
 * started without anything that reaches the network, and one page that records every
 * problem. Generous timeouts: CI may share a busy machine.
 */
export async function openGuardedPage(profileDir: string): Promise<GuardedPage> {
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 120_000,
    viewport: { width: 900, height: 1200 },
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(120_000);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let pageUrl = '';
  await page.route('**/*', async (route) => {
    if (route.request().url() === pageUrl) return route.continue();
    problems.push(`request: ${route.request().url()}`);
    return route.abort();
  });
  return {
    browser,
    page,
    problems,
    visit: async (url) => {
      pageUrl = url;
      await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    },
  };
}
