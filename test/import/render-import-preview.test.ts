import { renderImportPreview } from '../../src/import';
import type { CanonicalRow, MappedRecord } from '../../src/import';

function row(record_id: string, extra: Partial<CanonicalRow> = {}): CanonicalRow {
  return {
    record_id,
    customer_id: 'ACME',
    channel: 'voice',
    started_at: '2026-10-01T09:02:11',
    duration_seconds: '315',
    response_seconds: '14',
    status: 'answered',
    diversion: 'none',
    destination: '',
    diverted_seconds: '',
    ...extra,
  };
}

describe('renderImportPreview', () => {
  const rows: MappedRecord[] = [
    { ok: true, row: row('2026-10-01 09:02:11|PJSIP/trunk-00000001|PJSIP/agent101-00000002'), line: 1 },
    { ok: false, line: 2, fields: ['ACME'], column: 'disposition', message: 'has no mapping to status in the profile (mapped values: ANSWERED)', value: 'UNKNOWN' },
    { ok: true, row: row('x', { diversion: 'mobile', destination: '+351912000111', diverted_seconds: '201' }), line: 3 },
    { ok: false, line: 4, fields: [], column: 'accountcode', message: 'is empty, and customer_id needs a value (docs/reference.md §2)', value: '' },
    { ok: true, row: row('y'), line: 10 },
  ];

  test('a table of the first rows in the usage columns, errors on their line, then counts', () => {
    expect(renderImportPreview(rows, 4)).toBe(
      [
        'line  record_id                         customer_id  channel  started_at           duration_seconds  response_seconds  status    diversion  destination    diverted_seconds',
        '----  --------------------------------  -----------  -------  -------------------  ----------------  ----------------  --------  ---------  -------------  ----------------',
        '   1  2026-10-01 09:02:11|PJSIP/trunk…  ACME         voice    2026-10-01T09:02:11  315               14                answered  none',
        '   2  error: disposition: has no mapping to status in the profile (mapped values: ANSWERED) ("UNKNOWN")',
        '   3  x                                 ACME         voice    2026-10-01T09:02:11  315               14                answered  mobile     +351912000111  201',
        '   4  error: accountcode: is empty, and customer_id needs a value (docs/reference.md §2)',
        '… 1 more row not shown',
        '5 rows read, 2 could not be mapped',
        '',
      ].join('\n'),
    );
  });

  test('no rows', () => {
    expect(renderImportPreview([], 10)).toBe(
      [
        'line  record_id  customer_id  channel  started_at  duration_seconds  response_seconds  status  diversion  destination  diverted_seconds',
        '----  ---------  -----------  -------  ----------  ----------------  ----------------  ------  ---------  -----------  ----------------',
        '(no rows)',
        '0 rows read, 0 could not be mapped',
        '',
      ].join('\n'),
    );
  });

  test('cells are one line each: control characters cannot break the table', () => {
    const text = renderImportPreview([{ ok: true, row: row('a\nb\tc'), line: 7 }], 5);
    expect(text.split('\n')[2]).toMatch(/^ {3}7 {2}a b c {2}/);
  });
});
