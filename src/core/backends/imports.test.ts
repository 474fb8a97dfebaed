import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The host and the CLI see the backends through `index.ts` only, so the folder's layout (the
 * HTTP layer, the Tempo client's parts, the cache) can change without touching them. Tests may
 * still reach the `testing/` helpers.
 */
const SRC = join(__dirname, '..', '..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('backends: one entry point', () => {
  it('the host and the CLI import core/backends, never a file inside it', () => {
    const files = [...sources(join(SRC, 'host')), ...sources(join(SRC, 'cli')), join(SRC, 'extension.ts')];
    assert.ok(files.length > 10, 'found the sources');
    const deep: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/from '(\.\.\/)+(core\/)?backends\/|from '\.\/core\/backends\//.test(line)) {
            deep.push(`${relative(SRC, file)}:${i + 1}: ${line.trim()}`);
          }
        });
    }
    assert.deepEqual(deep, []);
  });
});
