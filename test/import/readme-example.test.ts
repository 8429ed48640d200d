/** The profile shown in docs/import-profiles.md must load and read what the text says it reads. */
import { LISBON } from './helpers';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyProfile, loadProfile } from '../../src/import';
import { collect, okRow, rows } from './helpers';

const page = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'import-profiles.md'), 'utf8');
const example = /## The profile format[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)?.[1];

test('the example profile of docs/import-profiles.md is valid and maps a row of the export it describes', async () => {
  expect(example).toBeDefined();
  const profile = loadProfile('profiles/our-dialler.yaml', () => example!);
  expect(profile.name).toBe('our-dialler');
  const header = ['Call Date', 'Call Ref', 'Client Code', 'Queue', 'Talk', 'Hold', 'Wrap', 'Wait ms', 'Outcome', 'Forwarded To', 'Forward Time'];
  const out = await collect(
    applyProfile(
      profile,
      rows(
        header,
        ['01/10/2026 09:15:00', 'R1', 'ACME', 'Sales', '00:05:00', '00:00:30', '00:01:00', '95200', 'Resolved', '', ''],
        ['01/10/2026 09:20:00', 'R2', 'ACME', 'webchat', '', '', '', '', 'Missed', '', ''],
        ['01/10/2026 09:30:00', 'R3', 'GLOBEX', 'Sales', '00:01:00', '', '', '3000', 'Resolved', '+351912000111', '120'],
      ), LISBON,
    ),
  );
  expect(out.map(okRow)).toEqual([
    { record_id: '01/10/2026 09:15:00-R1', customer_id: 'ACME', channel: 'voice', started_at: '2026-10-01T09:15:00', duration_seconds: '390', response_seconds: '95.2', status: 'answered', diversion: 'none', destination: '', diverted_seconds: '' },
    { record_id: '01/10/2026 09:20:00-R2', customer_id: 'ACME', channel: 'chat', started_at: '2026-10-01T09:20:00', duration_seconds: '0', response_seconds: '', status: 'abandoned', diversion: 'none', destination: '', diverted_seconds: '' },
    { record_id: '01/10/2026 09:30:00-R3', customer_id: 'GLOBEX', channel: 'voice', started_at: '2026-10-01T09:30:00', duration_seconds: '60', response_seconds: '3', status: 'answered', diversion: 'mobile', destination: '+351912000111', diverted_seconds: '120' },
  ]);
});
