import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';

/**
 * Messages for people (docs/reference.md §1.13, §6.2), one fixture folder per message
 * under fixtures/people/ (its README.md says what it shows and the command).
 */
const P = 'fixtures/people';
const BIN = join(ROOT, 'bin', 'callbill.js');

/** A folder outside the repository, as a cron job's working folder (its real path: macOS' /tmp is a link). */
function elsewhere(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'callbill-elsewhere-')));
}

/** The built CLI in an empty environment (only PATH and HOME, as cron gives), in `cwd`. */
function cronRun(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('env', ['-i', `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, `HOME=${cwd}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the price list from cron: CALLBILL_PRICES and the default path', () => {
  it('a cron-style run (env -i, another folder) bills with the price list CALLBILL_PRICES names', () => {
    const dir = elsewhere();
    try {
      const r = cronRun(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'csv', join(ROOT, P, 'cron/usage.csv')], dir, { CALLBILL_PRICES: join(ROOT, P, 'cron/prices.yaml') });
      expect([r.code, r.stderr]).toEqual([0, '']);
      // ACME: voice 90 s → 2 started minutes × 0.60 = 1.20; chat 30 s → 1 minute × 0.60 = 0.60; no tax
      expect(r.stdout).toBe(
        'invoice_number,customer_id,customer_name,period_start,period_end,currency,subtotal,tax,total,diversion_fees_charged,diversion_closing_balance,tax_note\n' +
          'ACME-2026-10,ACME,Acme Insurance Ltd,2026-10-01,2026-10-31,EUR,1.80,0.00,1.80,0,0.00,\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-p wins over CALLBILL_PRICES', async () => {
    const r = await runCliInProcess(['check', '-p', `${P}/cron/prices.yaml`], { env: { CALLBILL_PRICES: '/nonexistent/prices.yaml' } });
    expect([r.code, r.stdout]).toEqual([0, `${P}/cron/prices.yaml: OK (EUR, Europe/Lisbon, 1 plan, 1 version, 1 customer)\n`]);
  });

  it('the default, missing in the folder the run started in: says it was the default, where it looked, and what to do (66)', () => {
    const dir = elsewhere();
    try {
      const r = cronRun(['check'], dir);
      expect(r.code).toBe(66);
      expect(r.stderr).toBe(
        'callbill: price-lists/default.yaml: cannot open the price list: no such file or folder (ENOENT); no -p was given and CALLBILL_PRICES is not set, ' +
          `so the default price-lists/default.yaml was used, looked for in ${dir} (the current folder). Give the price list with -p FILE or set CALLBILL_PRICES to its absolute path\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CALLBILL_PRICES naming a missing file: says so (66)', () => {
    const dir = elsewhere();
    try {
      const r = cronRun(['check'], dir, { CALLBILL_PRICES: 'prices.yaml' });
      expect(r.code).toBe(66);
      expect(r.stderr).toBe(
        `callbill: prices.yaml: cannot open the price list: no such file or folder (ENOENT); the price list named by CALLBILL_PRICES, looked for in ${dir}. Give the price list with -p FILE or set CALLBILL_PRICES to its absolute path\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a file given in the wrong place is named for what it is', () => {
  it('a usage CSV given as the price list (78, one message)', async () => {
    const f = `${P}/csv-as-prices/usage.csv`;
    const r = await runCliInProcess(['invoice', '--period', '2026-10', '-p', f, f]);
    expect([r.code, r.stdout]).toEqual([78, '']);
    expect(r.stderr).toBe(
      `${f}: this looks like a CSV file, not a YAML price list (its first line is "record_id,customer_id,channel,started_at,duration_seconds"): give the price list with -p FILE, and the usage files after the options\n` +
        'callbill: 1 problem found; nothing was written\n',
    );
  });

  it('a price list given as a usage file (65, one message instead of one per column)', async () => {
    const f = `${P}/prices-as-usage/prices.yaml`;
    const r = await runCliInProcess(['invoice', '--period', '2026-10', '-p', f, f]);
    expect([r.code, r.stdout]).toEqual([65, '']);
    expect(r.stderr).toBe(`${f}:1: this looks like a YAML file (a price list?), not a usage CSV: give the price list with -p FILE, and the usage files after the options\ncallbill: ${f}: the header cannot be used\n`);
  });

  it('a price list given as an extras file', async () => {
    const f = `${P}/prices-as-usage/prices.yaml`;
    const r = await runCliInProcess(['invoice', '--period', '2026-10', '-p', f, '--extras', f, `${P}/cron/usage.csv`]);
    expect(r.code).toBe(65);
    expect(r.stderr.split('\n')[0]).toBe(`${f}:1: this looks like a YAML file (a price list?), not an extras CSV: give the price list with -p FILE, and the extras file with --extras FILE`);
  });
});

describe('an option where a value belongs', () => {
  it('--prices --period 2026-10 f.csv does not read --period as the price list (64)', async () => {
    const r = await runCliInProcess(['invoice', '--prices', '--period', '2026-10', `${P}/cron/usage.csv`]);
    expect([r.code, r.stdout]).toEqual([64, '']);
    expect(r.stderr).toBe('callbill: --prices: expected its value, found the option --period; give --prices a value (a file whose name starts with - is written ./--period)\n');
  });
  it('a short option as the value of another (-p -q)', async () => {
    const r = await runCliInProcess(['check', '-p', '-q']);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe('callbill: --prices: expected its value, found the option -q; give --prices a value (a file whose name starts with - is written ./-q)\n');
  });
});

describe('small things', () => {
  it('callbill help nosuch exits 64 with a message', async () => {
    const r = await runCliInProcess(['help', 'nosuch']);
    expect([r.code, r.stdout, r.stderr]).toEqual([64, '', 'callbill: unknown command "nosuch" (callbill --help lists the commands)\n']);
  });
  it('callbill help invoice still prints the help of invoice', async () => {
    const r = await runCliInProcess(['help', 'invoice']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: callbill invoice /);
  });
  it('callbill version prints what --version prints', async () => {
    const a = await runCliInProcess(['version']);
    const b = await runCliInProcess(['--version']);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect([a.code, a.stdout, a.stderr]).toEqual([0, `${version}\n`, '']);
    expect(b.stdout).toBe(a.stdout);
  });
  it('check says "1 record" for one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-one-'));
    try {
      writeFileSync(join(dir, 'one.csv'), 'record_id,customer_id,channel,started_at,duration_seconds\nC1,ACME,voice,2026-10-01T09:00:00Z,90\n');
      const r = await runCliInProcess(['check', '-p', `${P}/cron/prices.yaml`, join(dir, 'one.csv')]);
      expect(r.stdout.split('\n')[1]).toBe('usage: OK (1 record read, 1 would be billed, 0 outside the period)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('import-check with a profile without source: says OK and nothing after it', async () => {
    const r = await runCliInProcess(['import-check', '--import', `${P}/profile-without-source/profile.txt`, `${P}/profile-without-source/export.csv`]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `import profile bare (${P}/profile-without-source/profile.txt): OK`,
      '',
      `${P}/profile-without-source/export.csv: the first row as callbill reads it`,
    ]);
  });
});
