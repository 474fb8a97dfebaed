// `npm run bench`: every benchmark of the project, each with the baseline it is compared
// against, measured in the same run. `npm run bench -- --json` prints one JSON object per line:
// {"metric":"<name>","value":<number>,"unit":"<ms|MB/s|bytes|ratio|MB>"}.
// `--only decode,detect,search,compare,views,webview,store` runs a subset.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : undefined;

const suites = [
  {
    name: 'decode',
    script: 'scripts/bench-decode.mjs',
    nodeArgs: ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'],
  },
  {
    name: 'detect',
    script: 'scripts/bench-detect.mjs',
    nodeArgs: ['--max-old-space-size=4096', '--import', 'tsx'],
  },
  { name: 'search', script: 'scripts/bench-search.mjs', nodeArgs: ['--import', 'tsx'] },
  { name: 'compare', script: 'scripts/bench-compare.mjs', nodeArgs: ['--import', 'tsx'] },
  {
    name: 'views',
    script: 'scripts/bench-views.mjs',
    nodeArgs: ['--max-old-space-size=4096', '--import', 'tsx'],
  },
  { name: 'webview', script: 'scripts/bench-webview.mjs', nodeArgs: [] },
  {
    name: 'store',
    script: 'scripts/bench-store.mjs',
    nodeArgs: ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx'],
  },
];

function run(suite) {
  return new Promise((resolve) => {
    const args = [...suite.nodeArgs, suite.script, ...(json ? ['--json'] : [])];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (!json) process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

let failed = false;
for (const suite of suites) {
  if (only && !only.has(suite.name)) continue;
  if (!existsSync(join(root, suite.script))) {
    console.error(`bench: ${suite.script} is missing; skipped`);
    continue;
  }
  if (!json) console.log(`\n=== ${suite.name} ===`);
  const { code, out } = await run(suite);
  if (json) {
    for (const line of out.split('\n')) if (line.startsWith('{"metric"')) console.log(line);
  }
  if (code !== 0) {
    console.error(`bench: ${suite.name} exited with ${code}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
