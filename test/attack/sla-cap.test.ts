import { join } from 'node:path';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML } from './helpers';

const sla = (per: string, cap = '') => `        sla:
          service_level: { answer_within_seconds: 20, target_percent: 80 }
          max_average_response_seconds: { voice: 30 }
          credit_percent_per_miss: ${per}
${cap}`;
// one voice call of 60 s answered after 100 s: service level 0 % (a miss) and average response 100 s (a miss)
const USAGE = 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds\nr1,ACME,voice,2026-10-01T09:15:00Z,60,100\n';

async function invoice(yaml: string) {
  const dir = folder({ 'P.yaml': yaml, 'U.csv': USAGE });
  const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--format', 'json', '--issue-date', '2026-11-01', join(dir, 'U.csv')]);
  return r;
}

describe('the SLA credit never exceeds its base', () => {
  it('two misses at 60 % with no cap credit 100 % of the usage charges, not 120 %', async () => {
    const r = await invoice(P_YAML + sla('60'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const inv = (JSON.parse(r.stdout) as { invoices: Array<{ subtotal: string; total: string; lines: Array<{ code: string; amount: string }> }> }).invoices[0]!;
    // usage 60 s × 0.85 / 60 = 0.85; the credit is all of it
    expect(inv.lines.find((l) => l.code === 'sla.credit')?.amount).toBe('-0.85');
    expect(inv.subtotal).toBe('0.00');
    expect(inv.total).toBe('0.00');
  });

  it('credit_percent_per_miss above 100 is a price-list error, located', async () => {
    const r = await invoice(P_YAML + sla('100.5'));
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/P\.yaml:15:36: .*credit_percent_per_miss: a percentage above 100/);
  });

  it('credit_cap_percent above 100 stays a price-list error', async () => {
    const r = await invoice(P_YAML + sla('5', '          credit_cap_percent: 150\n'));
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/P\.yaml:16:31: .*credit_cap_percent: a percentage above 100/);
  });
});
