import { DataError, InputError } from '../errors';
import { runVerify } from '../pipeline/verify-run';
import type { CommandIO } from './io';
import { writeOut } from './io';

export interface VerifyOptions {
  prices?: string;
  balancesIn?: string;
  ledger?: string;
  quiet?: boolean;
}

/** `callbill verify <out-dir> [inputs...]`: checks a run's --out folder against its audit. */
export async function verifyCommand(outDir: string, given: string[], o: VerifyOptions, io: CommandIO): Promise<string> {
  const r = await runVerify({ outDir, given, prices: o.prices, balancesIn: o.balancesIn, ledger: o.ledger });
  if (r.missing === 0 && r.differences === 0) return r.report;
  // the report is the answer even when something differs: stdout, then the exit code
  await writeOut(io.stdout, r.report);
  if (r.missing > 0) throw new InputError(`verify ${outDir}: ${r.summary}`);
  throw new DataError(`verify ${outDir}: ${r.summary}`);
}
