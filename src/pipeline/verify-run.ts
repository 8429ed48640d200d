import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CallbillError, DataError, fsErrorText, InputError, UsageError } from '../errors';
import { auditProblems } from '../io/audit-shape';
import { JsonReadError, NotJsonError, readTopLevelMember } from '../io/json-member';
import { InvoicesCsvWriter, LinesCsvWriter } from '../render/csv';
import type { Invoice } from '../invoice/types';
import type { InvoiceWriter } from '../render/invoice-writer';
import { JsonWriter } from '../render/json';
import { terminalSafe } from '../render/terminal-safe';
import { parsePeriod } from '../time/period';
import { Zone } from '../time/zone';
import { VERSION } from '../version';
import type { Audit } from './audit';
import { Digest, sha256 } from './audit';
import { computeInvoices } from './compute-invoices';
import { inputReading, loadBalancesFile, loadImportProfile, loadPrices } from './load-inputs';
import { openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/ledger';
import { Dec } from '../money/decimal';
import { replayFilter } from './ledger-rules';

export interface VerifyRequest {
  /** The folder a run wrote with --out. */
  outDir: string;
  /** The usage files in place of those the audit names (same order), or none. */
  given: string[];
  /** The price list and opening balances in place of those the audit names. */
  prices?: string;
  balancesIn?: string;
  /** The ledger of an `issue` run, in place of the one the audit names (needed only when the run skipped records). */
  ledger?: string;
}

export interface VerifyResult {
  /** One line per check, then the summary. */
  report: string;
  summary: string;
  missing: number;
  differences: number;
}

/**
 * `verify <out-dir> [inputs...]`: checks a run's --out folder against its
 * audit. It recomputes the SHA-256 of the price list, the balances and every input named
 * in the audit (or given in their place, in the same order), then re-runs the invoicing
 * with the recorded options and compares invoices.json, invoices.csv and
 * invoice-lines.csv byte for byte (and the rejects and balances files by their recorded
 * SHA-256). It prints one line per check. Exit 0 when everything matches, 65 when
 * something differs, 66 when a file is missing.
 */
export async function runVerify(o: VerifyRequest): Promise<VerifyResult> {
  const { outDir, given } = o;
  const jsonPath = join(outDir, 'invoices.json');
  const notAudited = () =>
    new DataError(`${jsonPath}: not an invoices.json with an audit (written by callbill invoice --out or issue --out, version 0.1.0 or later; correct --out writes none: the ledger records a correction)`);
  // the file is checked whole as JSON but only its audit is kept: a month of a million customers is gigabytes
  let auditText: string | null;
  try {
    if (statSync(outDir).isDirectory() === false) throw new Error('ENOTDIR');
    auditText = readTopLevelMember(jsonPath, 'audit');
  } catch (e) {
    if (e instanceof NotJsonError) throw notAudited();
    throw new InputError(`${jsonPath}: cannot open the run's invoices.json: ${fsErrorText(e instanceof JsonReadError ? e.error : e)}`);
  }
  let audit: Audit;
  try {
    const parsed = JSON.parse(auditText ?? 'null') as Audit | null;
    if (!parsed || (parsed.command !== 'invoice' && parsed.command !== 'issue')) throw new Error('no audit');
    audit = parsed;
  } catch {
    throw notAudited();
  }
  // a damaged or hand-edited audit is bad data that says what is wrong, never an internal error
  const damaged = auditProblems(audit);
  if (damaged.length > 0) {
    throw new DataError(
      `${jsonPath}: the audit is damaged (${damaged.length} problem${damaged.length === 1 ? '' : 's'}); it cannot be verified`,
      damaged.map((d) => `${jsonPath}: ${d}`),
    );
  }
  if (given.length > 0 && given.length !== audit.inputs.length) {
    throw new UsageError(`the audit names ${audit.inputs.length} input${audit.inputs.length === 1 ? '' : 's'}; ${given.length} given`);
  }

  const lines: string[] = [];
  let differences = 0;
  const missing: string[] = [];
  const show = (s: string) => terminalSafe(s);
  const report = (ok: boolean, what: string, detail: string) => {
    if (!ok) differences++;
    lines.push(`${ok ? 'ok      ' : 'DIFFERS '} ${what}: ${detail}`);
  };
  // a relative path of the audit is read from here, else from the folder the run was made in
  const locate = (p: string): string => {
    if (isAbsolute(p) || p === '-' || existsSync(p) || !audit.runtime?.cwd) return p;
    const there = resolve(audit.runtime.cwd, p);
    return existsSync(there) ? there : p;
  };
  const hashFile = (what: string, path: string, recorded: string): boolean => {
    let now: string;
    try {
      now = digestOfFile(path).sha256;
    } catch (e) {
      missing.push(path);
      lines.push(`MISSING  ${what}: ${show(path)}: ${fsErrorText(e)}`);
      return false;
    }
    report(now === recorded, what, now === recorded ? `${show(path)} sha256 ${now.slice(0, 16)}…` : `${show(path)} sha256 ${now.slice(0, 16)}…, recorded ${recorded.slice(0, 16)}…`);
    return true;
  };

  lines.push(`run of callbill ${show(audit.callbill_version)} (now ${VERSION}), node ${show(audit.runtime?.node ?? '?')}, time-zone data ${show(audit.runtime?.tz_data ?? '?')} (now ${process.versions.tz ?? '?'})`);
  lines.push(
    `options: prices ${show(audit.options.prices)}, period ${audit.options.period ?? '(span of the records)'}, issue date ${audit.options.issue_date}, ` +
      `balances ${show(audit.options.balances_in ?? '(none)')}, bad rows ${audit.options.set_aside_rejects ? 'set aside' : 'fatal'}${audit.options.import ? `, import ${show(audit.options.import)}` : ''}`,
  );

  const pricesPath = locate(o.prices ?? audit.price_list.path);
  hashFile('price list', pricesPath, audit.price_list.sha256);
  let balancesPath: string | null = null;
  if (audit.balances_in) {
    balancesPath = locate(o.balancesIn ?? audit.balances_in.path);
    hashFile('balances in', balancesPath, audit.balances_in.sha256);
  }
  if (audit.import_profile) hashFile('import profile', locate(audit.import_profile.path), audit.import_profile.sha256);
  const inputPaths = audit.inputs.map((inp, i) => (given[i] !== undefined ? given[i]! : locate(inp.path)));
  audit.inputs.forEach((inp, i) => {
    const p = inputPaths[i]!;
    if (p === '-' && given[i] === undefined) {
      missing.push('-');
      lines.push(`MISSING  input ${i + 1}: the run read standard input; give the file in its place`);
      return;
    }
    hashFile(`input ${i + 1}`, p, inp.sha256);
  });

  // SPEC §8: the --extras files the run read, checked and replayed like the usage
  const recordedExtras = Array.isArray(audit.extras) ? audit.extras : [];
  const extrasPaths = recordedExtras.map((x) => locate(x.path));
  recordedExtras.forEach((x, i) => {
    const p = extrasPaths[i]!;
    if (p === '-') {
      missing.push('-');
      lines.push(`MISSING  extras ${i + 1}: the run read standard input; it cannot be read again`);
      return;
    }
    hashFile(`extras ${i + 1}`, p, x.sha256);
  });

  // a ledger run (docs/ledger.md): its opening balances and numbers are recorded; the records
  // it skipped are found again in the ledger as it was then, which is needed only when there were some
  const led = audit.ledger ?? null;
  if (audit.command === 'issue' && !led) report(false, 'audit', 'an issue run without its ledger block');
  let ledgerAt: Ledger | null = null;
  if (led && led.records_already_billed + led.records_late + led.extras_late > 0) {
    const lp = o.ledger ?? locate(led.path);
    try {
      if (!existsSync(lp)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      ledgerAt = openLedger(lp);
      lines.push(`ok       ledger: ${show(lp)}, replayed as it was after run ${led.after_run} (${led.records_already_billed} already billed, ${led.records_late} late, ${led.extras_late} late extras skipped)`);
    } catch (e) {
      if (e instanceof CallbillError && !(e instanceof InputError)) throw e;
      missing.push(lp);
      lines.push(`MISSING  ledger: ${show(lp)}: the run skipped records by what the ledger held; give it with --ledger`);
    }
  }

  if (missing.length === 0) {
    // replay the run with the recorded options and names, and compare what it would write
    try {
      const loaded = loadPrices(pricesPath, audit.price_list.path);
      const zone = new Zone(loaded.prices.timezone);
      const period = audit.options.period === null ? null : parsePeriod(audit.options.period, zone);
      const balances = loadBalancesFile(balancesPath ?? undefined, loaded.prices, audit.balances_in?.path);
      const recordedImport = audit.options.import ?? null;
      const profile = recordedImport === null ? undefined : loadImportProfile(audit.import_profile ? locate(audit.import_profile.path) : recordedImport);
      const out = await computeInvoices({
        files: inputPaths,
        names: audit.inputs.map((i) => i.path),
        loaded,
        period,
        issueDate: audit.options.issue_date,
        opening: led ? new Map(Object.entries(led.opening_balances).map(([c, v]) => [c, new Dec(v)])) : balances.balances,
        setAside: audit.options.set_aside_rejects,
        profile,
        reading: inputReading({ delimiter: audit.options.delimiter ?? undefined, dateFormat: audit.options.date_format ?? undefined, import: audit.options.import ?? undefined }),
        extras: extrasPaths,
        extrasNames: recordedExtras.map((x) => x.path),
        ledger: led ? (ledgerAt ? replayFilter(ledgerAt, zone, led.after_run) : { skip: () => false, counts: { alreadyBilled: 0, late: 0 }, extrasLate: () => false }) : undefined,
      });
      // every file re-made in one pass over the invoices, each into its SHA-256 and length (a big month is more than memory holds)
      const json = new Digest();
      const csv = new Digest();
      const linesCsv = new Digest();
      const balancesOut = new Digest();
      let count = 0;
      const writers: InvoiceWriter[] = [new JsonWriter(json.write, () => audit), new InvoicesCsvWriter(csv.write), new LinesCsvWriter(linesCsv.write)];
      if (audit.outputs.balances_out) writers.push(out.balancesWriter(balancesOut.write));
      await out.write(numbered(out.invoices, led, () => count++), writers);
      // a ledger run: the numbers the ledger assigned, in the run's invoice order
      if (led && count !== led.numbers.length) report(false, 'invoice numbers', `${count} invoices now, ${led.numbers.length} numbers recorded`);
      audit.inputs.forEach((inp, i) => {
        const now = out.control.inputs[i]?.records;
        if (now !== inp.records) report(false, `input ${i + 1} records`, `${now} now, ${inp.records} recorded`);
      });
      const compare = (name: string, want: { sha256: string; bytes: number }) => {
        const path = join(outDir, name);
        if (!existsSync(path)) {
          missing.push(path);
          lines.push(`MISSING  ${name}: ${show(path)}`);
          return;
        }
        const have = digestOfFile(path);
        const same = want.sha256 === have.sha256 && want.bytes === have.bytes;
        report(same, name, same ? `re-run gives the same ${have.bytes} bytes` : `re-run gives different content (${want.bytes} bytes, ${have.bytes} on file)`);
      };
      compare('invoices.json', json.result());
      compare('invoices.csv', csv.result());
      compare('invoice-lines.csv', linesCsv.result());
      for (const [name, rec, now] of [
        ['rejects file', audit.outputs.rejects, () => sha256(out.rejectsCsv())],
        ['balances out', audit.outputs.balances_out, () => balancesOut.result().sha256],
      ] as const) {
        if (!rec) continue;
        const sha = now();
        report(sha === rec.sha256, name, sha === rec.sha256 ? `re-run gives the recorded sha256 of ${show(rec.path)}` : `re-run gives another ${show(rec.path)} than recorded`);
      }
    } catch (e) {
      if (!(e instanceof CallbillError)) throw e;
      report(false, 're-run', show(e.lines().join('; ')));
    }
  }

  ledgerAt?.close();
  const summary = missing.length > 0 ? `${missing.length} file${missing.length === 1 ? '' : 's'} missing` : differences > 0 ? `${differences} difference${differences === 1 ? '' : 's'}` : 'everything matches';
  lines.push(summary);
  return { report: lines.join('\n') + '\n', summary, missing: missing.length, differences };
}

/** A file's SHA-256 and length, read piece by piece (an input may be larger than one buffer). */
function digestOfFile(path: string): { sha256: string; bytes: number } {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: h.digest('hex'), bytes };
}

/**
 * The re-run's invoices as the recorded run wrote them: for a ledger run, each with the
 * number the ledger assigned it (in the run's order) and the adjustment it carried.
 * `counted` is told of each.
 */
function* numbered(invoices: Iterable<Invoice>, led: Audit['ledger'] | null, counted: () => number): Generator<Invoice> {
  for (const inv of invoices) {
    const i = counted();
    if (led) {
      inv.invoiceNumber = led.numbers[i] ?? inv.invoiceNumber;
      const a = led.adjustments[inv.customerId];
      if (a !== undefined) inv.diversion.adjustment = new Dec(a);
    }
    yield inv;
  }
}
