import { join } from 'node:path';
import { idProblem } from '../../src/usage/id-text';
import { priceErrors } from '../helpers/prices';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';

/** Ids that display as another id (`AC\u200bME` looks like `ACME`) are refused, never normalised. */
describe('invisible characters in ids', () => {
  const LOOKALIKES: Array<[string, string, string]> = [
    ['zero width space', 'AC\u200bME', 'U+200B ZERO WIDTH SPACE (\\u200b) at position 3'],
    ['soft hyphen', 'AC\u00adME', 'U+00AD SOFT HYPHEN (\\u00ad) at position 3'],
    ['a tag character', 'ACME\u{E0001}', 'U+E0001 LANGUAGE TAG (\\u{e0001}) at position 5'],
    ['a tag letter', 'ACME\u{E0041}', 'U+E0041 TAG "A" (\\u{e0041}) at position 5'],
    ['word joiner', '\u2060ACME', 'U+2060 WORD JOINER (\\u2060) at position 1'],
    ['a byte-order mark at the end (trim would drop it)', 'ACME\ufeff', 'U+FEFF ZERO WIDTH NO-BREAK SPACE (\\ufeff) at position 5'],
    ['a variation selector', 'ACME\ufe0f', 'U+FE0F VARIATION SELECTOR-16 (\\ufe0f) at position 5'],
    ['hangul filler', 'ACME\u3164', 'U+3164 HANGUL FILLER (\\u3164) at position 5'],
  ];

  it.each(LOOKALIKES)('a customer_id with %s is a bad row that names it', async (_what, id, shown) => {
    const dir = folder({ 'P.yaml': P_YAML, 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr2,${id},voice,2026-10-01T09:15:00Z,60\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', join(dir, 'U.csv')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`U.csv:3: customer_id: contains the invisible character ${shown}`);
    // the message itself shows no invisible character
    expect(r.stderr).not.toMatch(/[\u00ad\u200b\u2060\ufeff\ufe0f\u3164]|\u{E0001}|\u{E0041}/u);
  });

  it('a record_id too; with --rejects the row is set aside and ACME billed once', async () => {
    const dir = folder({ 'P.yaml': P_YAML, 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr\u200b1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--format', 'json', '--rejects', join(dir, 'rej.csv'), '--issue-date', '2026-11-01', join(dir, 'U.csv')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { invoices: Array<{ customer_id: string; subtotal: string }>; control: { records_rejected: number } };
    expect(doc.invoices.map((i) => [i.customer_id, i.subtotal])).toEqual([['ACME', '0.85']]);
    expect(doc.control.records_rejected).toBe(1);
  });

  it('a price-list customer key and a balances customer_id are refused the same way (78)', async () => {
    const yaml = P_YAML + 'customers:\n  "AC\\u200bME": { plan: standard }\n  "ACME ": { plan: standard }\n';
    expect(priceErrors(yaml)).toEqual([
      '13:3: customers: the key "AC\\u200bME" contains the invisible character U+200B ZERO WIDTH SPACE (\\u200b) at position 3: it would look like another id; remove it from the source',
      '14:3: customers: the key "ACME " is empty or has blanks at an end; usage customer_ids are trimmed, so no row could match it',
    ]);
    const dir = folder({ 'P.yaml': P_YAML, 'B.csv': 'customer_id,diversion_balance\nAC\u00adME,10.00\n', 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--balances-in', join(dir, 'B.csv'), join(dir, 'U.csv')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('B.csv:2:1: customer_id: contains the invisible character U+00AD SOFT HYPHEN (\\u00ad) at position 3');
  });

  it('ordinary ids pass: accents, other scripts, a space inside', () => {
    for (const id of ['ACME', 'Zürich-1', 'Łódź', 'Αθήνα', 'Москва', '東京', 'A B', 'a.b_c-d/e']) expect(idProblem(id)).toBeNull();
  });
});
