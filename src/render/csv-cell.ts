/**
 * CSV cells for spreadsheets (SPEC §5, OWASP CSV injection): a text cell that begins
 * with =, +, -, @, a tab or a carriage return is prefixed with ', so a spreadsheet
 * shows it instead of running it; numeric cells are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function textCell(s: string): string {
  const t = FORMULA_START.test(s) ? `'${s}` : s;
  return quote(t);
}

/**
 * A text cell that callbill itself reads back (`--balances-out` → `--balances-in`):
 * formula-safe like textCell, and reversible — a text that already begins with ' gets
 * one more, so `unprefixCell` strips exactly one and gives back the text written.
 */
export function roundTripCell(s: string): string {
  return quote(FORMULA_START.test(s) || s.startsWith("'") ? `'${s}` : s);
}

/** The reverse of roundTripCell: one leading ' is dropped before a formula character or another '. */
export function unprefixCell(s: string): string {
  return /^'[=+\-@\t\r']/.test(s) ? s.slice(1) : s;
}

/** A figure we produced ourselves ("1049.92", "-12.50", "74112"): never prefixed. */
export function numberCell(s: string): string {
  return s;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly string[]): string {
  return cells.join(',') + '\n';
}
