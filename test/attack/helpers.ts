import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The attack's base price list P.yaml: EUR, Lisbon, half-up, VAT 23, per-second voice at 0.85. */
export const P_YAML = `currency: EUR
timezone: Europe/Lisbon
rounding: half-up
tax: { name: VAT, rate: 23 }
invoice_number: "{customer}-{period}"
default_plan: standard
plans:
  standard:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 1, next: 1 } }
`;

export const U_HEAD = 'record_id,customer_id,channel,started_at,duration_seconds\n';

/** A fresh folder with the given files written into it; returns its path. */
export function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'callbill-attack-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

/** A CSV cell, quoted when it must be. */
export function cell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
