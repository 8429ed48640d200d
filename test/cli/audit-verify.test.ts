import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runInProcess, runSubprocess } from '../helpers/cli';

/**
 * Issue #6, item 5: invoices.json under --out carries an audit of the run, and
 * `callbill verify` checks a run folder against it — hashes, then a re-run compared byte
 * for byte. Exit 0 all match, 65 something differs, 66 a file is missing.
 */
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
const p = (n: string) => join(dir, n);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-audit-'));
  copyFileSync(join(ROOT, 'price-lists', 'default.yaml'), p('prices.yaml'));
  copyFileSync(join(ROOT, 'fixtures', 'example-2026-10', 'voice.csv'), p('voice.csv'));
  copyFileSync(join(ROOT, 'fixtures', 'example-2026-10', 'chat.csv'), p('chat.csv'));
  writeFileSync(p('opening.csv'), 'customer_id,diversion_balance\nACME,12.50\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A month's run from `dir`, as a user would type it (relative paths). */
async function invoiceRun(extra: string[] = []): Promise<void> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const args = ['invoice', '-p', 'prices.yaml', '--period', '2026-10', '--balances-in', 'opening.csv', '-o', 'out', '--rejects', 'rejects.csv', '--balances-out', 'closing.csv', ...extra, 'voice.csv', 'chat.csv'];
    const o = await runInProcess(args, { NO_COLOR: '1' });
    expect([o.code, o.stderr]).toEqual([0, expect.any(String)]);
  } finally {
    process.chdir(cwd);
  }
}

async function verify(args: string[], cwd = dir) {
  const here = process.cwd();
  process.chdir(cwd);
  try {
    return await runInProcess(['verify', ...args]);
  } finally {
    process.chdir(here);
  }
}

describe('the audit in --out/invoices.json', () => {
  it('records the version, the options that change the invoices, every hash and count, and the issue date', async () => {
    await invoiceRun(['--issue-date', '2026-11-02']);
    const doc = JSON.parse(readFileSync(p('out/invoices.json'), 'utf8')) as { audit: Record<string, unknown>; control: Record<string, unknown> };
    const a = doc.audit;
    expect(a.callbill_version).toBe(VERSION);
    expect(a.command).toBe('invoice');
    expect(a.options).toEqual({ prices: 'prices.yaml', period: '2026-10', issue_date: '2026-11-02', issue_date_given: true, balances_in: 'opening.csv', set_aside_rejects: true, import: null });
    expect(a.import_profile).toBeNull();
    expect(a.price_list).toEqual({ path: 'prices.yaml', sha256: sha(readFileSync(p('prices.yaml'))) });
    expect(a.inputs).toEqual([
      { path: 'voice.csv', sha256: sha(readFileSync(p('voice.csv'))), records: 63 },
      { path: 'chat.csv', sha256: sha(readFileSync(p('chat.csv'))), records: 34 },
    ]);
    expect(a.balances_in).toEqual({ path: 'opening.csv', sha256: sha(readFileSync(p('opening.csv'))), customers: 1 });
    expect(a.outputs).toEqual({
      'invoices.csv': sha(readFileSync(p('out/invoices.csv'))),
      'invoice-lines.csv': sha(readFileSync(p('out/invoice-lines.csv'))),
      rejects: { path: 'rejects.csv', sha256: sha(readFileSync(p('rejects.csv'))) },
      balances_out: { path: 'closing.csv', sha256: sha(readFileSync(p('closing.csv'))) },
      rated: null,
    });
    expect(a.argv).toEqual(['invoice', '-p', 'prices.yaml', '--period', '2026-10', '--balances-in', 'opening.csv', '-o', 'out', '--rejects', 'rejects.csv', '--balances-out', 'closing.csv', '--issue-date', '2026-11-02', 'voice.csv', 'chat.csv']);
    expect(a.runtime).toEqual({ node: process.version, tz_data: process.versions.tz ?? null, cwd: expect.stringContaining('cb-audit-') });
    // the audit is the last key; everything before it is SPEC §5's document
    expect(Object.keys(doc)).toEqual(['invoices', 'totals', 'control', 'audit']);
  });

  it('records the issue date used when none was given (today in the price list\'s zone)', async () => {
    await invoiceRun();
    const a = (JSON.parse(readFileSync(p('out/invoices.json'), 'utf8')) as { audit: { options: { issue_date: string; issue_date_given: boolean } } }).audit;
    // runInProcess's clock is 2026-11-01 12:00 UTC
    expect(a.options).toMatchObject({ issue_date: '2026-11-01', issue_date_given: false });
  });

  it('is not on stdout: --format json keeps exactly the shape of SPEC §5', async () => {
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '--rejects', p('r.csv'), '--format', 'json', '-o', p('out'), p('voice.csv'), p('chat.csv')]);
    expect(o.code).toBe(0);
    expect(Object.keys(JSON.parse(o.stdout) as object)).toEqual(['invoices', 'totals', 'control']);
    // and the --out file is the same document plus the audit
    const file = JSON.parse(readFileSync(p('out/invoices.json'), 'utf8')) as Record<string, unknown>;
    delete file.audit;
    expect(file).toEqual(JSON.parse(o.stdout));
  });
});

describe('callbill verify', () => {
  it('an untouched run: every check ok, exit 0', async () => {
    await invoiceRun();
    const o = await verify(['out']);
    expect([o.code, o.stderr]).toEqual([0, '']);
    const lines = o.stdout.trimEnd().split('\n');
    expect(lines.slice(2).map((l) => l.slice(0, 9) + l.slice(9).split(':')[0])).toEqual([
      'ok       price list',
      'ok       balances in',
      'ok       input 1',
      'ok       input 2',
      'ok       invoices.json',
      'ok       invoices.csv',
      'ok       invoice-lines.csv',
      'ok       rejects file',
      'ok       balances out',
      'everything matches',
    ]);
  });

  it('replays the recorded issue date, whatever day it is now', async () => {
    await invoiceRun();
    // the real clock (the built CLI), not runInProcess's fixed 2026-11-01
    const o = await runSubprocess(['verify', 'out'], { cwd: dir });
    expect([o.code, o.stdout.trimEnd().split('\n').pop()]).toEqual([0, 'everything matches']);
  });

  it('a changed input: its hash, its record count and the invoices differ (65)', async () => {
    await invoiceRun();
    appendFileSync(p('chat.csv'), 'C-X1,ACME,chat,2026-10-20 10:00:00,600,5,,,,,,,extra\n');
    const o = await verify(['out']);
    expect(o.code).toBe(65);
    expect(o.stdout).toMatch(/^DIFFERS  input 2: chat\.csv sha256 [0-9a-f]{16}…, recorded [0-9a-f]{16}…$/m);
    expect(o.stdout).toMatch(/^DIFFERS  input 2 records: 35 now, 34 recorded$/m);
    expect(o.stdout).toMatch(/^DIFFERS  invoices\.json: re-run gives different content/m);
    expect(o.stdout).toMatch(/^ok       input 1: voice\.csv/m);
    expect(o.stderr).toMatch(/^callbill: verify out: \d+ differences\n$/);
  });

  it('an edited output: the re-run shows which file differs (65)', async () => {
    await invoiceRun();
    writeFileSync(p('out/invoices.csv'), readFileSync(p('out/invoices.csv'), 'utf8').replace(/,EUR,(\d+)/, ',EUR,9$1'));
    const o = await verify(['out']);
    expect(o.code).toBe(65);
    expect(o.stdout).toMatch(/^DIFFERS  invoices\.csv: re-run gives different content/m);
    expect(o.stdout).toMatch(/^ok       invoices\.json/m);
    expect(o.stdout.trimEnd().split('\n').pop()).toBe('1 difference');
  });

  it('a price list amended since: its hash differs and so do the invoices', async () => {
    await invoiceRun();
    writeFileSync(p('prices.yaml'), readFileSync(p('prices.yaml'), 'utf8').replace('per_minute: 0.85', 'per_minute: 0.86'));
    const o = await verify(['out']);
    expect(o.code).toBe(65);
    expect(o.stdout).toMatch(/^DIFFERS  price list: prices\.yaml/m);
    expect(o.stdout).toMatch(/^DIFFERS  invoices\.csv/m);
  });

  it('a missing input or price list: 66, and nothing is re-run', async () => {
    await invoiceRun();
    unlinkSync(p('voice.csv'));
    const o = await verify(['out']);
    expect(o.code).toBe(66);
    expect(o.stdout).toMatch(/^MISSING  input 1: voice\.csv: no such file or folder \(ENOENT\)$/m);
    expect(o.stdout).not.toMatch(/invoices\.json/);
    expect(o.stderr).toBe('callbill: verify out: 1 file missing\n');
  });

  it('the inputs given in place of the recorded ones (an archive), from another folder', async () => {
    await invoiceRun();
    mkdirSync(p('archive'));
    copyFileSync(p('voice.csv'), p('archive/v.csv'));
    copyFileSync(p('chat.csv'), p('archive/c.csv'));
    unlinkSync(p('voice.csv'));
    // run from elsewhere: the audit's relative paths are found from the folder the run was made in
    const o = await verify([p('out'), p('archive/v.csv'), p('archive/c.csv')], tmpdir());
    expect([o.code, o.stdout.trimEnd().split('\n').pop()]).toEqual([0, 'everything matches']);
    expect(o.stdout).toMatch(/^ok       input 1: .*archive\/v\.csv sha256/m);
  });

  it('the wrong number of inputs is a bad command line (64)', async () => {
    await invoiceRun();
    const o = await verify(['out', 'voice.csv']);
    expect([o.code, o.stderr]).toEqual([64, 'callbill: the audit names 2 inputs; 1 given\n']);
  });

  it('a folder without invoices.json (66), an invoices.json without an audit (65)', async () => {
    mkdirSync(p('empty'));
    const none = await verify(['empty']);
    expect([none.code, none.stderr]).toEqual([66, `callbill: ${join('empty', 'invoices.json')}: cannot open the run's invoices.json: no such file or folder (ENOENT)\n`]);
    mkdirSync(p('old'));
    writeFileSync(p('old/invoices.json'), '{"invoices": [], "totals": {}, "control": {}}\n');
    const old = await verify(['old']);
    expect([old.code, old.stderr]).toEqual([65, `callbill: ${join('old', 'invoices.json')}: not an invoices.json with an audit (written by callbill invoice --out or issue --out, version 0.1.0 or later; correct --out writes none: the ledger records a correction)\n`]);
  });

  it('an invoices.json cut short or with more after it is refused (65), even when its audit is whole', async () => {
    await invoiceRun();
    const whole = readFileSync(p('out/invoices.json'), 'utf8');
    const auditAt = whole.indexOf('"audit"');
    expect(auditAt).toBeGreaterThan(0);
    const refused = `callbill: ${join('out', 'invoices.json')}: not an invoices.json with an audit (written by callbill invoice --out or issue --out, version 0.1.0 or later; correct --out writes none: the ledger records a correction)\n`;
    // the audit is the last member: without the document's closing brace it is whole, and the file is still not JSON
    for (const damaged of [whole.slice(0, whole.lastIndexOf('}')), whole.slice(0, auditAt - 10), whole + '{}', whole.replace('"invoices": [', '"invoices": [,')]) {
      writeFileSync(p('out/invoices.json'), damaged);
      const o = await verify(['out']);
      expect([o.code, o.stdout, o.stderr]).toEqual([65, '', refused]);
    }
  });
});
