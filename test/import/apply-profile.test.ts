import { LISBON } from './helpers';
import { DataError, EXIT } from '../../src/errors';
import { applyProfile, ImportHeaderError, loadProfile, ProfileMapper } from '../../src/import';
import type { MappedRecord } from '../../src/import';
import { collect, okRow, readRaw, rows } from './helpers';

function profile(yaml: string) {
  return loadProfile('test.yaml', () => yaml);
}

/** A header-first profile over the columns id, cust, start and the given extra fields. */
function withFields(extra: string, top = ''): string {
  return `${top}
fields:
  record_id: id
  customer_id: cust
  channel: { value: voice }
  started_at: start
${extra}`;
}

const START = '2026-10-01T09:00:00Z';

async function mapOne(yaml: string, header: string[], record: string[]): Promise<MappedRecord> {
  const out = await collect(applyProfile(profile(yaml), rows(header, record), LISBON));
  expect(out).toHaveLength(1);
  return out[0]!;
}

describe('durations', () => {
  test('HH:MM:SS, with decimals', async () => {
    const yaml = withFields('  duration_seconds: talk\n  response_seconds: wait\n', 'durations: hh:mm:ss');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'talk', 'wait'], ['1', 'ACME', START, '00:03:45', '00:00:12.480']);
    expect(okRow(r)).toMatchObject({ duration_seconds: '225', response_seconds: '12.48' });
  });

  test('a bad HH:MM:SS is a row error naming the source column and value', async () => {
    const yaml = withFields('  duration_seconds: TALK TIME\n', 'durations: hh:mm:ss');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'TALK TIME'], ['1', 'ACME', START, '3:4']);
    expect(r).toEqual({
      ok: false,
      line: 2,
      fields: ['1', 'ACME', START, '3:4'],
      column: 'TALK TIME',
      message: 'is not a time span HH:MM:SS or M:SS (seconds may have decimals)',
      value: '3:4',
    });
  });

  test('milliseconds by integer arithmetic: 95200 → 95.2', async () => {
    const yaml = withFields('  duration_seconds: { column: ms, unit: milliseconds }\n');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'ms'], ['1', 'ACME', START, '95200']);
    expect(okRow(r).duration_seconds).toBe('95.2');
  });

  test('a sum of talk + hold + after-call work; an empty component counts 0', async () => {
    const yaml = withFields('  duration_seconds: { sum: [talk, hold, acw] }\n');
    const header = ['id', 'cust', 'start', 'talk', 'hold', 'acw'];
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(header, ['1', 'A', START, '300', '45', '60'], ['2', 'A', START, '300', '', '0.1'], ['3', 'A', START, '0.2', '', '0.1']), LISBON,
      ),
    );
    expect(out.map((r) => okRow(r).duration_seconds)).toEqual(['405', '300.1', '0.3']);
  });

  test('every component empty: unknown, so a required duration is an error unless a default is given', async () => {
    const header = ['id', 'cust', 'start', 'talk', 'hold'];
    const record = ['1', 'A', START, '', ' '];
    const bare = await mapOne(withFields('  duration_seconds: { sum: [talk, hold] }\n'), header, record);
    expect(bare).toMatchObject({ ok: false, column: 'talk + hold', message: 'is empty, and duration_seconds needs a value (docs/reference.md §2)', value: '' });
    const dflt = await mapOne(withFields('  duration_seconds: { sum: [talk, hold], default: "0" }\n'), header, record);
    expect(okRow(dflt).duration_seconds).toBe('0');
  });

  test('sum with minus (Asterisk: duration - billsec), and a negative result is an error', async () => {
    const yaml = withFields('  duration_seconds: billsec\n  response_seconds: { sum: [duration], minus: [billsec] }\n');
    const header = ['id', 'cust', 'start', 'duration', 'billsec'];
    const out = await collect(applyProfile(profile(yaml), rows(header, ['1', 'A', START, '329', '315'], ['2', 'A', START, '10', '12']), LISBON));
    expect(okRow(out[0]).response_seconds).toBe('14');
    expect(out[1]).toMatchObject({ ok: false, line: 3, column: 'duration - billsec', message: 'comes out negative (2 seconds below zero)' });
  });

  test('a bad component names its own column', async () => {
    const yaml = withFields('  duration_seconds: { sum: [talk, hold] }\n');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'talk', 'hold'], ['1', 'A', START, '60', '1,5']);
    // (a comma-separated file: a decimal comma cannot be one, and the message says so)
    expect(r).toMatchObject({ ok: false, column: 'hold', message: expect.stringMatching(/^a comma in a number: a decimal comma is read only in files separated by semicolons or tabs/), value: '1,5' });
  });

  test('between two timestamps (Connect: transfer completed .. disconnect)', async () => {
    const yaml = withFields('  duration_seconds: secs\n  diversion: { value: international }\n  destination: to\n  diverted_seconds: { between: [from_ts, to_ts] }\n');
    const header = ['id', 'cust', 'start', 'secs', 'to', 'from_ts', 'to_ts'];
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(
          header,
          ['1', 'A', START, '60', '+44', '2026-10-05T13:03:00Z', '2026-10-05T13:08:00.500Z'],
          ['2', 'A', START, '60', '+44', '', '2026-10-05T13:08:00Z'],
          ['3', 'A', START, '60', '+44', '2026-10-05T13:08:00Z', '2026-10-05T13:03:00Z'],
        ), LISBON,
      ),
    );
    expect(okRow(out[0]).diverted_seconds).toBe('300.5');
    expect(okRow(out[1]).diverted_seconds).toBe(''); // unknown: SPEC §2 then takes duration_seconds
    expect(out[2]).toMatchObject({ ok: false, column: 'from_ts..to_ts', message: 'ends before it starts' });
  });

  // Lisbon: 2026-03-29 01:00 → 02:00 (an hour skipped), 2026-10-25 02:00 → 01:00 (an hour twice)
  test.each([
    ['2026-10-25 00:30:00', '2026-10-25 02:30:00', '10800'], // 23:30Z .. 02:30Z: the repeated hour counts
    ['2026-03-29 00:30:00', '2026-03-29 02:30:00', '3600'], // 00:30Z .. 01:30Z: the skipped hour does not
    ['2026-10-05 13:03:00', '2026-10-05 13:08:00', '300'],
  ])('between two local times %s .. %s is %s s in the price list\'s zone (DST counted)', async (from, to, seconds) => {
    const yaml = withFields('  duration_seconds: { between: [answered, ended] }\n');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'answered', 'ended'], ['1', 'A', START, from, to]);
    expect(okRow(r).duration_seconds).toBe(seconds);
  });

  test('a local time in the DST gap is read moved forward by the gap, as started_at is (SPEC §2)', async () => {
    // 01:30 does not exist on 2026-03-29 in Lisbon: it is 02:30 local = 01:30Z; 00:30 is 00:30Z
    const yaml = withFields('  duration_seconds: { between: [answered, ended] }\n');
    const r = await mapOne(yaml, ['id', 'cust', 'start', 'answered', 'ended'], ['1', 'A', START, '2026-03-29 00:30:00', '2026-03-29 01:30:00']);
    expect(okRow(r).duration_seconds).toBe('3600');
  });
});

describe('value maps', () => {
  const yaml = withFields(`  duration_seconds: secs
  status:
    column: disposition
    map: { ANSWERED: answered, NO ANSWER: abandoned, BUSY: abandoned, FAILED: abandoned }
`);
  const header = ['id', 'cust', 'start', 'secs', 'disposition'];

  test('disposition → status, case-insensitively', async () => {
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(header, ['1', 'A', START, '5', 'ANSWERED'], ['2', 'A', START, '0', 'NO ANSWER'], ['3', 'A', START, '0', 'No Answer'], ['4', 'A', START, '0', ' busy ']), LISBON,
      ),
    );
    expect(out.map((r) => okRow(r).status)).toEqual(['answered', 'abandoned', 'abandoned', 'abandoned']);
  });

  test('an unmapped value with no default is a row error listing what is mapped', async () => {
    const r = await mapOne(yaml, header, ['1', 'A', START, '0', 'CONGESTION']);
    expect(r).toMatchObject({
      ok: false,
      column: 'disposition',
      // callbill's own words pass as they are: `abandoned` needs no entry (`answered` has one)
      message: 'has no mapping to status in the profile (mapped values: ANSWERED, NO ANSWER, BUSY, FAILED, abandoned)',
      value: 'CONGESTION',
    });
  });

  test('a queue column → channel, with a default', async () => {
    const y = withFields('  duration_seconds: secs\n  channel: { column: queue, map: { WebChat: chat, Chat-EN: chat }, default: voice }\n').replace(
      '  channel: { value: voice }\n',
      '',
    );
    const out = await collect(
      applyProfile(profile(y), rows(['id', 'cust', 'start', 'secs', 'queue'], ['1', 'A', START, '5', 'webchat'], ['2', 'A', START, '5', 'Sales'], ['3', 'A', START, '5', '']), LISBON),
    );
    expect(out.map((r) => okRow(r).channel)).toEqual(['chat', 'voice', 'voice']);
  });

  test('an empty value: the "" key, else the default, else empty', async () => {
    const y = withFields('  duration_seconds: secs\n  status: { column: agent_ts, map: { "": abandoned }, default: answered }\n');
    const out = await collect(applyProfile(profile(y), rows(['id', 'cust', 'start', 'secs', 'agent_ts'], ['1', 'A', START, '0', ''], ['2', 'A', START, '9', START]), LISBON));
    expect(out.map((r) => okRow(r).status)).toEqual(['abandoned', 'answered']);
  });

  test('prefixes: the longest wins, then the default', async () => {
    const y = withFields(`  duration_seconds: secs
  diversion: { column: to, prefixes: { "+351": none, "+3519": mobile, "+447": mobile }, default: international }
  destination: to
`);
    const header = ['id', 'cust', 'start', 'secs', 'to'];
    const out = await collect(
      applyProfile(
        profile(y),
        rows(header, ['1', 'A', START, '5', '+351912000111'], ['2', 'A', START, '5', '+351210000100'], ['3', 'A', START, '5', '+12125550123'], ['4', 'A', START, '5', '+447700900123']), LISBON,
      ),
    );
    expect(out.map((r) => [okRow(r).diversion, okRow(r).destination])).toEqual([
      ['mobile', '+351912000111'],
      ['none', ''], // not diverted: destination is not carried
      ['international', '+12125550123'],
      ['mobile', '+447700900123'],
    ]);
  });
});

describe('record ids and customers', () => {
  test('joined from several columns', async () => {
    const y = withFields('  duration_seconds: secs\n').replace('record_id: id', 'record_id: { join: [CALL ID, CALL TYPE], separator: "-" }');
    const header = ['CALL ID', 'CALL TYPE', 'cust', 'start', 'secs'];
    const out = await collect(
      applyProfile(
        profile(y),
        rows(header, ['300000001000005', 'Inbound', 'A', START, '5'], ['300000001000005', '3rd party transfer', 'A', START, '0'], ['', '', 'A', START, '0']), LISBON,
      ),
    );
    expect(okRow(out[0]).record_id).toBe('300000001000005-Inbound');
    expect(okRow(out[1]).record_id).toBe('300000001000005-3rd party transfer');
    expect(out[2]).toMatchObject({ ok: false, column: 'CALL ID+CALL TYPE', message: 'is empty, and record_id needs a value (docs/reference.md §2)' });
  });

  test('an empty customer is reported against its source column', async () => {
    const r = await mapOne(withFields('  duration_seconds: secs\n'), ['id', 'cust', 'start', 'secs'], ['1', '', START, '5']);
    expect(r).toMatchObject({ ok: false, column: 'cust', message: 'is empty, and customer_id needs a value (docs/reference.md §2)', value: '' });
  });

  test('a bad timestamp names the column and value', async () => {
    const r = await mapOne(withFields('  duration_seconds: secs\n'), ['id', 'cust', 'start', 'secs'], ['1', 'A', '01/10/2026', '5']);
    expect(r).toMatchObject({ ok: false, column: 'start', message: 'is not an ISO 8601 date and time (2026-10-01T09:15:00Z)', value: '01/10/2026' });
  });
});

describe('headers', () => {
  test('names match case-insensitively, trimmed, after a BOM; extra and reordered columns are fine', async () => {
    const r = await mapOne(withFields('  duration_seconds: Secs\n'), ['\uFEFF ID ', 'extra', ' SECS', 'Start', 'CUST'], ['9', 'x', '7', START, 'A']);
    expect(okRow(r)).toMatchObject({ record_id: '9', customer_id: 'A', duration_seconds: '7' });
  });

  test('a header that lacks profile columns fails the file, not every row (exit 65)', async () => {
    const run = collect(applyProfile(profile(withFields('  duration_seconds: { sum: [talk, hold] }\n')), rows(['id', 'cust', 'talk'], ['1', 'A', '5']), LISBON));
    await expect(run).rejects.toThrow(ImportHeaderError);
    await expect(run).rejects.toThrow(
      'line 1: the header has no column "start", "hold", which import profile "test" reads (is this the right --import profile for this file?)',
    );
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).exitCode).toBe(EXIT.DATAERR);
  });

  test('an empty file gives no rows', async () => {
    expect(await collect(applyProfile(profile(withFields('  duration_seconds: secs\n')), rows(), LISBON))).toEqual([]);
  });
});

describe('header-less files (Asterisk Master.csv)', () => {
  const yaml = `header: false
columns: [accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition]
timestamps: { format: "YYYY-MM-DD HH:MM:SS", zone: local }
fields:
  record_id: { join: [start, channel], separator: "|" }
  customer_id: 1
  channel: { value: voice }
  started_at: start
  duration_seconds: billsec
  status: { column: 15, map: { ANSWERED: answered } }
`;
  const row = ['ACME', '351912345678', '2100', 'acme-inbound', '"Maria" <351912345678>', 'PJSIP/trunk-00000001', 'PJSIP/agent101-00000002', 'Queue', 'acme-support', '2026-10-01 09:02:11', '2026-10-01 09:02:25', '2026-10-01 09:07:40', '329', '315', 'ANSWERED'];

  test('the first record is data, columns found by position (or the name columns: gives it)', async () => {
    const out = await collect(applyProfile(profile(yaml), rows(row, row.map((v, i) => (i === 9 ? '2026-10-01 10:00:00' : v))), LISBON));
    expect(out.map((r) => r.line)).toEqual([1, 2]);
    expect(okRow(out[0])).toEqual({
      record_id: '2026-10-01 09:02:11|PJSIP/trunk-00000001',
      customer_id: 'ACME',
      channel: 'voice',
      started_at: '2026-10-01T09:02:11',
      duration_seconds: '315',
      response_seconds: '',
      status: 'answered',
      diversion: '',
      destination: '',
      diverted_seconds: '',
    });
  });

  test('a short row is an error naming the missing column', async () => {
    const out = await collect(applyProfile(profile(yaml), rows(row.slice(0, 13)), LISBON));
    expect(out[0]).toMatchObject({ ok: false, line: 1, column: 'billsec', message: 'is missing: the row has 13 fields', value: '' });
  });

  test('without names, a position is reported as "column N"', async () => {
    const y = yaml.replace(/^columns: .*\n/m, '').replace('join: [start, channel]', 'join: [10, 6]').replace('started_at: start', 'started_at: 10').replace('billsec', '14');
    const out = await collect(applyProfile(profile(y), rows(row.slice(0, 13)), LISBON));
    expect(out[0]).toMatchObject({ ok: false, column: 'column 14', message: 'is missing: the row has 13 fields' });
  });
});

describe('forwarded legs', () => {
  const yaml = withFields(
    `  duration_seconds: duration
  status: { column: status, map: { completed: answered, no-answer: abandoned } }
forwarded:
  when: { column: parent, empty: false }
  fields:
    duration_seconds: { value: "0" }
    diversion: { value: international }
    destination: to
    diverted_seconds: duration
`,
  );
  const header = ['id', 'cust', 'start', 'duration', 'status', 'parent', 'to'];

  test('a child leg carries the diversion; the parent is an ordinary record', async () => {
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(header, ['CA2', 'A', START, '201', 'completed', 'CA1', '+351912000111'], ['CA1', 'A', START, '212', 'completed', '', '+351210000100']), LISBON,
      ),
    );
    expect(okRow(out[0])).toMatchObject({ record_id: 'CA2', duration_seconds: '0', status: 'answered', diversion: 'international', destination: '+351912000111', diverted_seconds: '201' });
    expect(okRow(out[1])).toMatchObject({ record_id: 'CA1', duration_seconds: '212', diversion: '', destination: '', diverted_seconds: '' });
  });

  test('a when list must all hold; `in` matches case-insensitively', async () => {
    const y = yaml.replace('  when: { column: parent, empty: false }', '  when:\n    - { column: parent, empty: false }\n    - { column: to, in: ["+351912000111", SIP:AGENT] }');
    const out = await collect(
      applyProfile(
        profile(y),
        rows(header, ['CA2', 'A', START, '201', 'completed', 'CA1', '+351912000111'], ['CA3', 'A', START, '50', 'completed', 'CA1', 'sip:agent'], ['CA4', 'A', START, '50', 'completed', 'CA1', '+44']), LISBON,
      ),
    );
    expect(out.map((r) => okRow(r).diversion)).toEqual(['international', 'international', '']);
  });
});

describe('de-duplication (Amazon Connect)', () => {
  const yaml = withFields(
    `  duration_seconds: { sum: [talk, acw], default: "0" }
dedupe: { key: ContactId, latest: LastUpdateTimestamp }
`,
  ).replace('record_id: id', 'record_id: ContactId');
  const header = ['ContactId', 'cust', 'start', 'talk', 'acw', 'LastUpdateTimestamp'];

  test('keeps the copy with the latest LastUpdateTimestamp, in order of first appearance', async () => {
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(
          header,
          ['c1', 'A', START, '280', '', '2026-10-06T09:05:05Z'], // line 2: superseded by line 5
          ['c2', 'A', START, '870', '40', '2026-10-14T16:20:00Z'], // line 3: kept; line 6 is older
          ['c3', 'A', START, '10', '', '2026-10-14T16:20:00Z'], // line 4: alone
          ['c1', 'A', START, '280', '65', '2026-10-06T09:06:10Z'], // line 5
          ['c2', 'A', START, '870', '', '2026-10-14T16:15:30Z'], // line 6: stale copy delivered late
        ), LISBON,
      ),
    );
    expect(out.map((r) => [r.line, okRow(r).record_id, okRow(r).duration_seconds, r.superseded])).toEqual([
      [5, 'c1', '345', [2]],
      [3, 'c2', '910', [6]],
      [4, 'c3', '10', undefined],
    ]);
  });

  test('equal timestamps: the later line wins; three copies', async () => {
    const out = await collect(
      applyProfile(
        profile(yaml),
        rows(header, ['c1', 'A', START, '1', '', '2026-10-06T09:00:00Z'], ['c1', 'A', START, '2', '', '2026-10-06T09:00:00Z'], ['c1', 'A', START, '3', '', '2026-10-06T08:00:00Z']), LISBON,
      ),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ line: 3, superseded: [2, 4] });
    expect(okRow(out[0]).duration_seconds).toBe('2');
  });

  test('the latest copy decides even when it cannot be mapped', async () => {
    const out = await collect(
      applyProfile(profile(yaml), rows(header, ['c1', 'A', START, '1', '', '2026-10-06T09:00:00Z'], ['c1', 'A', START, 'x', '', '2026-10-06T10:00:00Z']), LISBON),
    );
    expect(out).toEqual([{ ok: false, line: 3, fields: ['c1', 'A', START, 'x', '', '2026-10-06T10:00:00Z'], column: 'talk', message: 'is not a number of seconds (at most 6 decimals)', value: 'x', superseded: [2] }]);
  });

  test('held rows come back exactly, even with a NUL inside a field', async () => {
    const out = await collect(
      applyProfile(profile(yaml), rows(header, ['c1', 'A\u0000B', START, '1', '', '2026-10-06T09:00:00Z'], ['c2', 'A', START, '2.5', '0.5', '2026-10-06T09:00:00Z']), LISBON),
    );
    expect(out.map((r) => okRow(r))).toEqual([
      { record_id: 'c1', customer_id: 'A\u0000B', channel: 'voice', started_at: START, duration_seconds: '1', response_seconds: '', status: '', diversion: '', destination: '', diverted_seconds: '' },
      { record_id: 'c2', customer_id: 'A', channel: 'voice', started_at: START, duration_seconds: '3', response_seconds: '', status: '', diversion: '', destination: '', diverted_seconds: '' },
    ]);
  });

  test('an unreadable LastUpdateTimestamp is a row error', async () => {
    const out = await collect(applyProfile(profile(yaml), rows(header, ['c1', 'A', START, '1', '', 'yesterday']), LISBON));
    expect(out[0]).toMatchObject({ ok: false, column: 'LastUpdateTimestamp', message: 'is not an ISO 8601 date and time (2026-10-01T09:15:00Z)', value: 'yesterday' });
  });
});

describe('the Connect sample through the built-in profile', () => {
  test('line numbers and superseded copies are reported for the core to account for', async () => {
    const p = loadProfile('connect');
    const out = await collect(applyProfile(p, readRaw(`${__dirname}/../../fixtures/import/connect/contact-records.csv`, p), LISBON));
    expect(out.map((r) => [r.line, r.superseded ?? []])).toEqual([
      [2, []],
      [3, []],
      [4, []],
      [5, []],
      [12, [6]],
      [7, []],
      [8, []],
      [9, [14]],
      [10, []],
      [11, []],
      [13, []],
    ]);
  });
});

describe('values already in callbill\'s words need no map entry', () => {
  test('a map without mobile: mobile passes mobile, Mobile and abandoned through', async () => {
    const yaml = withFields('  duration_seconds: secs\n  diversion: { column: div, map: { CELL: mobile, INTL: international } }\n  status: { column: st, map: { NOANS: abandoned } }\n');
    const header = ['id', 'cust', 'start', 'secs', 'div', 'st'];
    const out = await collect(
      applyProfile(profile(yaml), rows(header, ['1', 'A', START, '5', 'CELL', 'NOANS'], ['2', 'A', START, '5', 'Mobile', 'abandoned'], ['3', 'A', START, '5', 'none', 'Answered']), LISBON),
    );
    expect(out.map((r) => [okRow(r).diversion, okRow(r).status])).toEqual([
      ['mobile', 'abandoned'],
      ['mobile', 'abandoned'],
      ['none', 'answered'],
    ]);
    const bad = await mapOne(yaml, header, ['4', 'A', START, '5', 'satellite', '']);
    expect(bad).toMatchObject({ ok: false, column: 'div', value: 'satellite' });
  });
});

describe('decimal comma in a file separated by ; or tab (ProfileMapper with the file\'s delimiter)', () => {
  const yaml = withFields('  duration_seconds: { sum: [talk, hold] }\n');
  const header = ['id', 'cust', 'start', 'talk', 'hold'];
  function mapAll(delimiter: ',' | ';' | '\t', ...records: string[][]): MappedRecord[] {
    const m = new ProfileMapper(profile(yaml), LISBON, delimiter);
    const out: MappedRecord[] = [];
    [header, ...records].forEach((fields, i) => {
      const r = m.push({ fields, line: i + 1 });
      if (r) out.push(r);
    });
    return out;
  }

  test('95,2 + 1,3 is 96.5 seconds, as 95.2 + 1.3 is in a comma file', () => {
    const [semi] = mapAll(';', ['1', 'A', START, '95,2', '1,3']);
    expect(okRow(semi!).duration_seconds).toBe('96.5');
    const [tab] = mapAll('\t', ['1', 'A', START, '95,2', '1,3']);
    expect(okRow(tab!).duration_seconds).toBe('96.5');
  });

  test('one decimal mark per file: after 95,2 a 1.5 is a bad row that says so; a thousands separator is one too', () => {
    const out = mapAll(';', ['1', 'A', START, '95,2', '0'], ['2', 'A', START, '1.5', '0'], ['3', 'A', START, '1.234,5', '0'], ['4', 'A', START, '7', '0,5']);
    expect(okRow(out[0]!).duration_seconds).toBe('95.2');
    expect(out[1]).toMatchObject({ ok: false, column: 'talk', value: '1.5', message: expect.stringMatching(/decimal point, but this file writes its numbers with a decimal comma/) });
    expect(out[2]).toMatchObject({ ok: false, column: 'talk', value: '1.234,5', message: expect.stringMatching(/thousands separator/) });
    expect(okRow(out[3]!).duration_seconds).toBe('7.5');
  });
});
