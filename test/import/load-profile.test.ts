import { ConfigError, EXIT, InputError } from '../../src/errors';
import { BUILTIN_PROFILES, loadProfile } from '../../src/import';

/** loadProfile over an in-memory file; returns the diagnostics it throws, formatted. */
function problems(yaml: string, file = 'profiles/bad.yaml'): string[] {
  try {
    loadProfile(file, () => yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines();
    throw err;
  }
  throw new Error('the profile was accepted');
}

const MINIMAL = `
fields:
  record_id: id
  customer_id: customer
  channel: { value: voice }
  started_at: start
  duration_seconds: seconds
`;

describe('loadProfile: validation', () => {
  test('reports every problem at once, as file:line:column', () => {
    const yaml = [
      'name: bad profile',
      'header: maybe',
      'colour: red',
      'timestamps: { format: "YYYY-DD HH", zone: Europe/Lisbon }',
      'durations: minutes',
      'fields:',
      '  record_id: { join: [a] }',
      '  customer_id: acct',
      '  channel: { value: phone }',
      '  started_at: { column: start, default: now }',
      '  duration_seconds: { column: dur, map: { a: b } }',
      '  status: { column: disp, map: { ANSWERED: answered, answered: abandoned } }',
      '  diverted: x',
      '  diversion: { column: x, map: { "": nothing } }',
      '',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      'profiles/bad.yaml:1:7: name must be letters, digits, "-", "_" or ".", not "bad profile"',
      'profiles/bad.yaml:2:9: header must be true or false, not "maybe"',
      'profiles/bad.yaml:3:1: unknown key "colour" in the profile (expected one of: name, source, header, columns, delimiter, csv, timestamps, durations, fields, forwarded, dedupe)',
      'profiles/bad.yaml:4:23: format: date pattern "YYYY-DD HH" has no month; or use iso, rfc2822, epoch, epoch-ms',
      'profiles/bad.yaml:4:43: zone must be local (the price list\'s timezone), utc, or a fixed offset such as +01:00, not "Europe/Lisbon"',
      'profiles/bad.yaml:5:12: duration unit must be one of seconds, milliseconds, hh:mm:ss, not "minutes"',
      'profiles/bad.yaml:7:22: record_id.join needs at least 2 columns',
      'profiles/bad.yaml:9:21: channel.value: channel must be one of voice, chat, not "phone"',
      'profiles/bad.yaml:10:32: started_at cannot have a default',
      'profiles/bad.yaml:11:36: duration_seconds is a duration: value maps are for text fields',
      'profiles/bad.yaml:12:54: status.map: "answered" differs only in case from another key that maps to "answered"',
      'profiles/bad.yaml:13:3: unknown field "diverted" in fields (the usage columns are: record_id, customer_id, channel, started_at, duration_seconds, response_seconds, status, diversion, destination, diverted_seconds)',
      'profiles/bad.yaml:14:38: diversion.map "": diversion must be one of none, mobile, international, not "nothing"',
    ]);
  });

  test('required usage columns must be mapped', () => {
    expect(problems('name: thin\nfields:\n  record_id: id\n  channel: { value: chat }\n')).toEqual([
      'profiles/bad.yaml:3:3: fields has no customer_id: every usage row needs one (docs/reference.md §2)',
      'profiles/bad.yaml:3:3: fields has no started_at: every usage row needs one (docs/reference.md §2)',
      'profiles/bad.yaml:3:3: fields has no duration_seconds: every usage row needs one (docs/reference.md §2)',
    ]);
  });

  test('a field needs exactly one source, and sum/between only for durations', () => {
    expect(
      problems(
        [
          'fields:',
          '  record_id: { column: a, value: b }',
          '  customer_id: { sum: [a, b] }',
          '  channel: { map: { V: voice } }',
          '  started_at: { between: [a, b] }',
          '  duration_seconds: { between: [a] }',
          '  response_seconds: { column: q, separator: "-" }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'profiles/bad.yaml:2:14: record_id needs exactly one of column, join, value, sum, between (found column and value)',
      'profiles/bad.yaml:3:18: sum is only for durations (duration_seconds, response_seconds, diverted_seconds), not customer_id',
      'profiles/bad.yaml:4:12: channel needs exactly one of column, join, value, sum, between',
      'profiles/bad.yaml:5:17: between is only for durations (duration_seconds, response_seconds, diverted_seconds), not started_at',
      'profiles/bad.yaml:6:32: duration_seconds.between needs at least 2 columns',
      'profiles/bad.yaml:7:34: response_seconds.separator only goes with join',
    ]);
  });

  test('header-less files: names come from columns:, positions start at 1', () => {
    expect(
      problems(
        [
          'header: false',
          'columns: [account, start, secs, account]',
          'fields:',
          '  record_id: 0',
          '  customer_id: account',
          '  channel: { value: voice }',
          '  started_at: begin',
          '  duration_seconds: secs',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'profiles/bad.yaml:2:33: columns: "account" appears twice',
      'profiles/bad.yaml:4:14: record_id: column positions start at 1',
      'profiles/bad.yaml:7:15: started_at: "begin" is not one of the names in columns:',
    ]);
    expect(problems(`columns: [a, b]\n${MINIMAL}`)).toEqual([
      'profiles/bad.yaml:1:1: columns names the positions of a header-less file: it needs header: false',
    ]);
  });

  test('YAML errors: duplicate keys, aliases and anchors', () => {
    expect(problems(`name: a${MINIMAL}name: b\n`)).toEqual(['profiles/bad.yaml:8:1: YAML: Map keys must be unique: "name" appears twice (first at line 1)']);
    expect(problems(`${MINIMAL}  status: { column: st, map: { OK: answered, OK: abandoned } }\n`)).toEqual([
      'profiles/bad.yaml:8:46: YAML: Map keys must be unique: "OK" appears twice (first at line 8)',
    ]);
    expect(problems(`${MINIMAL}  <<: { status: x }\n`)).toEqual([
      'profiles/bad.yaml:8:3: unknown field "<<" in fields (the usage columns are: record_id, customer_id, channel, started_at, duration_seconds, response_seconds, status, diversion, destination, diverted_seconds)',
    ]);
    const aliased = problems(`${MINIMAL}  status: &s { column: st, map: { OK: answered } }\n  diversion: *s\n`);
    expect(aliased).toEqual([
      'profiles/bad.yaml:8:14: YAML anchors are not allowed in a profile', // at the node that carries it
      'profiles/bad.yaml:9:14: YAML aliases are not allowed in a profile',
    ]);
  });

  test('forwarded and dedupe sections are checked like the rest', () => {
    expect(
      problems(
        `${MINIMAL}forwarded:\n  when: { column: kind, in: [leg], empty: false }\n  fields: { diversion: { value: abroad } }\ndedupe: { key: id }\n`,
      ),
    ).toEqual([
      'profiles/bad.yaml:9:9: forwarded.when needs exactly one of in (a list of values) or empty (true or false)',
      'profiles/bad.yaml:10:33: diversion.value: diversion must be one of none, mobile, international, not "abroad"',
      'profiles/bad.yaml:11:9: dedupe needs key (the column(s) naming a record) and latest (the timestamp column whose latest value wins)',
    ]);
  });

  test('an empty when list or in list is refused (it would match every row, or none)', () => {
    expect(problems(`${MINIMAL}forwarded:\n  when: []\n  fields: { diversion: { value: mobile } }\n`)).toEqual([
      'profiles/bad.yaml:9:9: forwarded.when needs at least one condition',
    ]);
    expect(problems(`${MINIMAL}forwarded:\n  when: { column: kind, in: [] }\n  fields: { diversion: { value: mobile } }\n`)).toEqual([
      'profiles/bad.yaml:9:29: forwarded.when.in needs at least one value',
    ]);
  });

  test('an empty profile', () => {
    expect(problems('')).toEqual(['profiles/bad.yaml: the profile is empty']);
    expect(problems('# nothing but a comment\n')).toEqual(['profiles/bad.yaml: the profile is empty']);
  });

  test('the ConfigError exits 78 (EX_CONFIG)', () => {
    expect(() => loadProfile('x.yaml', () => 'fields: 3')).toThrow(ConfigError);
    try {
      loadProfile('x.yaml', () => 'fields: 3');
    } catch (err) {
      expect((err as ConfigError).exitCode).toBe(EXIT.CONFIG);
      expect((err as ConfigError).diagnostics).toEqual([{ file: 'x.yaml', line: 1, column: 9, message: 'fields must be a mapping (key: value lines)' }]);
    }
  });
});

describe('loadProfile: names and files', () => {
  test.each(BUILTIN_PROFILES)('built-in %s loads without problems', (name) => {
    const profile = loadProfile(name, () => {
      throw new Error('a built-in profile must not touch the file system');
    });
    expect(profile.name).toBe(name);
    expect(profile.origin).toBe(`builtin:${name}`);
    expect(profile.source).not.toBe('');
  });

  test('header-less built-ins and CSV reading options', () => {
    expect(loadProfile('asterisk').hasHeader).toBe(false);
    expect(loadProfile('freeswitch').hasHeader).toBe(false);
    expect(loadProfile('freeswitch').csv).toEqual({ ltrim: true });
    expect(loadProfile('connect').hasHeader).toBe(true);
    expect(loadProfile('connect').csv).toEqual({ ltrim: false });
  });

  test('an unknown name lists the built-ins', () => {
    expect(() => loadProfile('asteriks')).toThrow(
      'asteriks: no built-in import profile "asteriks" (built-in: asterisk, connect, five9, freeswitch, twilio; or give the path of a profile .yaml file)',
    );
  });

  test('a profile file that cannot be read is an InputError (exit 66)', () => {
    let caught: unknown;
    try {
      loadProfile('/nonexistent/dir/mine.yaml');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).exitCode).toBe(EXIT.NOINPUT);
    expect((caught as InputError).message).toBe('/nonexistent/dir/mine.yaml: cannot read import profile: no such file or folder (ENOENT)');
  });

  test('a user file is named by name:, else by its file name', () => {
    expect(loadProfile('cfg/acme-export.yaml', () => MINIMAL).name).toBe('acme-export');
    expect(loadProfile('cfg/acme-export.yml', () => `name: acme\n${MINIMAL}`).name).toBe('acme');
    expect(loadProfile('cfg/acme-export.yaml', () => `\uFEFF${MINIMAL}`).fields).toHaveLength(5);
  });

  test('scalars stay text: "0", 0 and 00 are what was written', () => {
    const p = loadProfile('x.yaml', () => `${MINIMAL}  status: { column: s, map: { 00: abandoned, "0": answered } }\n`);
    const status = p.fields.find((f) => f.target === 'status');
    expect([...(status?.map ?? new Map()).entries()]).toEqual([
      ['00', 'abandoned'],
      ['0', 'answered'],
    ]);
  });
});
