// The parse floor of the bench (target 1): a bare csv-parse streaming pass over
// a file, with the project's own csv-parse and default options, only counting
// records. Nothing callbill does on one thread can be faster than this, so
// `callbill invoice --jobs 1` is measured against it.
//
//   node test/bench/parse-floor.mjs <file.csv>   → prints the record count (header included)

import fs from 'node:fs';
import { parse } from 'csv-parse';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/bench/parse-floor.mjs <file.csv>');
  process.exit(64);
}
let records = 0;
fs.createReadStream(file)
  .on('error', (err) => {
    console.error(err.message);
    process.exit(66);
  })
  .pipe(parse())
  .on('data', () => {
    records++;
  })
  .on('error', (err) => {
    console.error(err.message);
    process.exit(65);
  })
  .on('end', () => {
    process.stdout.write(records + '\n');
  });
