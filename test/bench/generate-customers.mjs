// A month with many customers (and, if asked, many bad rows), for the big-month checks
// of the writers: every customer gets a voice call, every third a chat, every seventh
// a diverted call; `bad` extra rows with a duration that is not a number. Deterministic.
//
//   node test/bench/generate-customers.mjs <out.csv> <customers> [bad]
import fs from 'node:fs';

const [out, customersArg, badArg] = process.argv.slice(2);
if (!out || !customersArg) {
  console.error('usage: node test/bench/generate-customers.mjs <out.csv> <customers> [bad]');
  process.exit(64);
}
const customers = Number(customersArg);
const bad = Number(badArg ?? 0);
const fd = fs.openSync(out, 'w');
let buf = 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,status,diversion,destination,diverted_seconds\n';
const flush = () => {
  fs.writeSync(fd, buf);
  buf = '';
};
for (let i = 0; i < customers; i++) {
  const id = `CUST${String(i).padStart(7, '0')}`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  const div = i % 7 === 0;
  buf += `v${i},${id},voice,2026-10-${day}T10:15:00Z,${61 + (i % 900)},${i % 40},,${div ? 'mobile' : ''},,${div ? 95 : ''}\n`;
  if (i % 3 === 0) buf += `c${i},${id},chat,2026-10-${day}T11:00:00Z,${30 + (i % 300)},${i % 60},,,,\n`;
  if (buf.length > 1 << 20) flush();
}
for (let i = 0; i < bad; i++) {
  buf += `b${i},CUST${String(i % 1000).padStart(7, '0')},voice,2026-10-03T10:15:00Z,not-a-number-${i},,,,,\n`;
  if (buf.length > 1 << 20) flush();
}
flush();
fs.closeSync(fd);
