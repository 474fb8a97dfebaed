import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * The other CLI tests run the TypeScript sources; this one runs `dist/cli.js` as `npm run build`
 * bundles it, so a dependency esbuild cannot bundle (jsonc-parser's UMD `main` was one) fails
 * here rather than for the first person who installs the CLI.
 */
describe('trace-lens CLI, bundled', () => {
  before(function () {
    this.timeout(60_000);
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
  });

  it('reads a JSONC settings file and says what is wrong with the backend', () => {
    const settings = join(mkdtempSync(join(tmpdir(), 'tl-cli-bundle-')), 'settings.json');
    writeFileSync(
      settings,
      '{\n  // VS Code writes JSONC\n  "traceLens.backends": [{ "name": "x", "kind": "nope", "url": "http://h" },],\n}',
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'show', 'abc', '--backend', 'x'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TRACE_LENS_SETTINGS: settings },
    });
    assert.equal(run.stderr, `trace-lens: backend "x" in ${settings} has an unknown kind "nope"\n`);
    assert.equal(run.status, 2);
  });

  it('prints a command’s usage', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'scan', '--help'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage:\n {2}trace-lens scan \[FILE\|-\] \[--json\]/);
  });
});
