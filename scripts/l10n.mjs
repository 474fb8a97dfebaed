// The English message bundle VS Code's translations are made from: every `vscode.l10n.t('…')` of the
// host and every `l10n.t('…')` (from `@vscode/l10n`) of the core, extracted by
// `@vscode/l10n-dev export` into l10n/bundle.l10n.json (package.json's "l10n" points there).
//   node scripts/l10n.mjs           regenerate it (npm run l10n), after adding or changing a message
//   node scripts/l10n.mjs --check   exit 1 when it is out of date (the static tier runs this)
// Only shipped code is read: tests, `testing/` folders and the webview (whose words come from the
// host in the `init` message, see src/shared/strings.ts) are left out.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(root, 'l10n', 'bundle.l10n.json');
const check = process.argv.includes('--check');

/** The shipped TypeScript files under `dir`, sorted so the bundle's order is stable. */
function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testing') out.push(...sources(path));
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
    ) {
      out.push(path);
    }
  }
  return out.sort();
}

/** Runs the exporter into `outDir`; returns the bundle's text. */
function exportTo(outDir) {
  const files = sources(join(root, 'src')).map((f) => relative(root, f));
  const cli = join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'export', '--outDir', outDir, ...files], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    process.exit(run.status ?? 1);
  }
  return readFileSync(join(outDir, 'bundle.l10n.json'), 'utf8');
}

if (check) {
  const tmp = mkdtempSync(join(tmpdir(), 'tl-l10n-'));
  try {
    const fresh = exportTo(tmp);
    const current = existsSync(BUNDLE) ? readFileSync(BUNDLE, 'utf8') : '';
    if (fresh !== current) {
      console.error('l10n/bundle.l10n.json is out of date: run `npm run l10n` and commit the result.');
      process.exitCode = 1;
    } else {
      console.log(`l10n/bundle.l10n.json is up to date (${Object.keys(JSON.parse(fresh)).length} messages).`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  const text = exportTo(join(root, 'l10n'));
  console.log(`wrote l10n/bundle.l10n.json (${Object.keys(JSON.parse(text)).length} messages)`);
}
