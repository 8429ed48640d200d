// A month of Asterisk CDRs as the cdr_csv backend writes Master.csv (no header,
// every text cell quoted, `""` inside caller ids, the answer time empty for an
// unanswered call, loguniqueid and loguserfield on), for the bench's figure of
// `invoice --import asterisk`. Same (rows, seed) → the same bytes; no Math.random.
// Accounts C01…C50 (the bench price list's customers), times in October 2026 in
// the PBX's local time (Europe/Lisbon, as the price list).
//
//   node test/bench/generate-asterisk.mjs <Master.csv> [rows] [seed]

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CUSTOMERS, prng } from './generate.mjs';

const NAMES = ['Maria Silva', 'Joao Costa', 'Ana Pereira', 'Rui Lopes', 'Ines Santos', 'Pedro Alves', ''];
const DISPOSITIONS = ['NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION'];

function two(n) {
  return n < 10 ? '0' + n : String(n);
}

/** `YYYY-MM-DD HH:MM:SS` of wall-clock seconds since 2026-10-01 00:00 local. */
function stamp(sec) {
  const day = Math.floor(sec / 86400);
  const s = sec - day * 86400;
  return `2026-10-${two(day + 1)} ${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

/** Writes the file; resolves to its size in bytes. */
export function generateAsterisk(file, rows, seed = 20261001) {
  const rand = prng(seed ^ 0x5a5a5a5a);
  const digits = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += (rand() * 10) | 0;
    return s;
  };
  const fd = fs.openSync(file, 'w');
  let buf = '';
  let chan = 1;
  try {
    for (let i = 0; i < rows; i++) {
      const acct = CUSTOMERS[Math.floor(Math.pow(rand(), 1.6) * CUSTOMERS.length)];
      // calls spread over the month in order, mostly in office hours
      const day = Math.floor((i / rows) * 31);
      const tod = rand() < 0.85 ? 8 * 3600 + Math.floor(rand() * 12 * 3600) : Math.floor(rand() * 86400);
      const start = day * 86400 + tod;
      const caller = '3519' + digits(8);
      const name = NAMES[(rand() * NAMES.length) | 0];
      const clid = `"""${name}"" <${caller}>"`;
      const ring = Math.floor(-8 * Math.log(1 - rand()));
      const kind = rand();
      const answered = kind > 0.06;
      const talk = answered ? Math.floor(-220 * Math.log(1 - rand())) + 5 : 0;
      const div = rand();
      let dst = String(2100 + ((rand() * 40) | 0));
      let dcontext = `${acct.toLowerCase()}-inbound`;
      let app = 'Queue';
      let data = `${acct.toLowerCase()}-support,t,,,300`;
      const a = chan++;
      const b = chan++;
      let peer = `PJSIP/agent${100 + ((rand() * 80) | 0)}-${a.toString(16).padStart(8, '0')}`;
      if (answered && div < 0.05) {
        dcontext = 'divert-mobile';
        dst = '+3519' + digits(8);
      } else if (answered && div < 0.08) {
        dcontext = 'divert-intl';
        dst = (rand() < 0.5 ? '+44' : '+1') + digits(10);
      }
      if (dcontext.startsWith('divert')) {
        app = 'Dial';
        data = `PJSIP/${dst}@trunk,60`;
        peer = `PJSIP/trunk-${b.toString(16).padStart(8, '0')}`;
      }
      const answer = answered ? `"${stamp(start + ring)}"` : '';
      const end = stamp(start + ring + talk);
      const disposition = answered ? 'ANSWERED' : DISPOSITIONS[(rand() * DISPOSITIONS.length) | 0];
      const uniqueid = `${1790812800 + start}.${a}`;
      buf +=
        `"${acct}","${caller}","${dst}","${dcontext}",${clid},"PJSIP/trunk-${a.toString(16).padStart(8, '0')}","${peer}",` +
        `"${app}","${data}","${stamp(start)}",${answer},"${end}",${ring + talk},${talk},"${disposition}","DOCUMENTATION","${uniqueid}",""\n`;
      if (buf.length > 1 << 20) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
    fs.fsyncSync(fd);
    return fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, rows = '1000', seed = '20261001'] = process.argv.slice(2);
  if (!out) {
    console.error('usage: node test/bench/generate-asterisk.mjs <Master.csv> [rows] [seed]');
    process.exit(64);
  }
  const size = generateAsterisk(out, Number(rows), Number(seed));
  console.error(`${out}: ${rows} rows, ${size} bytes`);
}
