/**
 * Global set-up of the cli project, once per `jest` run (not per suite): its tests run the
 * BUILT command line, so the build must exist, be newer than every file under src/, and
 * start. Nothing here builds: `npm test` runs `npm run build` first; after an edit under
 * src/, run `npm run build` before `npx jest --selectProjects cli`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildProblem } from '../helpers/build';

export default function builtCli(): void {
  const problem = buildProblem();
  if (problem) throw new Error(`cli tests: ${problem}`);
  const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'callbill.js'), '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`cli tests: \`node bin/callbill.js --version\` exited ${r.status}: ${r.stderr}`);
}
