import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { regularFile } from './regularFile';

/** On a real file system (Linux, as on the machines that run these tests). */
describe('regularFile: only regular files outside the system folders (issue 17, item 9)', function () {
  if (process.platform === 'win32') return;
  let dir: string;
  let server: Server | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trace-lens-regular-'));
    writeFileSync(join(dir, 'app.ts'), 'export {};\n');
    mkdirSync(join(dir, 'src'));
    symlinkSync(join(dir, 'app.ts'), join(dir, 'link.ts'));
    // A workspace file that is a symlink into /proc: its real path is the editor's environment.
    symlinkSync('/proc/self/environ', join(dir, 'environ.ts'));
    symlinkSync('/dev/null', join(dir, 'null.ts'));
    execFileSync('mkfifo', [join(dir, 'fifo.ts')]);
  });
  after(async () => {
    if (server) await new Promise<void>((ok) => server!.close(() => ok()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a regular file, and a symlink to one, resolve to the real path', async () => {
    assert.deepEqual(await regularFile(join(dir, 'app.ts'), fs), { real: join(dir, 'app.ts') });
    assert.deepEqual(await regularFile(join(dir, 'link.ts'), fs), { real: join(dir, 'app.ts') });
  });

  it('/proc/self/environ is refused although stat calls it a regular file', async () => {
    assert.ok((await fs.stat('/proc/self/environ')).isFile(), 'the reason for this test');
    assert.deepEqual(await regularFile('/proc/self/environ', fs), {
      refused: '/proc holds system pseudo-files, not source',
    });
  });

  it('a symlink into /proc or /dev is refused by its real path', async () => {
    assert.deepEqual(await regularFile(join(dir, 'environ.ts'), fs), {
      refused: '/proc holds system pseudo-files, not source',
    });
    assert.deepEqual(await regularFile(join(dir, 'null.ts'), fs), {
      refused: '/dev holds system pseudo-files, not source',
    });
  });

  it('a path through /proc that leads to an ordinary file is refused as written', async () => {
    // /proc/self/cwd is the test's working folder (the repository), where package.json is.
    assert.ok((await fs.stat('/proc/self/cwd/package.json')).isFile());
    assert.deepEqual(await regularFile('/proc/self/cwd/package.json', fs), {
      refused: '/proc holds system pseudo-files, not source',
    });
    const climbing = `/proc/self/cwd/${'../'.repeat(12)}${join(dir, 'app.ts')}`;
    assert.ok((await fs.stat(climbing)).isFile(), 'the kernel resolves it');
    assert.deepEqual(await regularFile(climbing, fs), {
      refused: '`..` escapes above the start of the path',
    });
    assert.deepEqual(await regularFile('app.ts', fs), { refused: 'not an absolute path' });
  });

  it('a fifo, a folder and a socket are refused: not regular files', async () => {
    assert.deepEqual(await regularFile(join(dir, 'fifo.ts'), fs), { refused: 'a fifo, not a regular file' });
    assert.deepEqual(await regularFile(join(dir, 'src'), fs), { refused: 'a directory, not a regular file' });
    const socket = join(dir, 'socket.ts');
    server = createServer();
    await new Promise<void>((ok) => server!.listen(socket, () => ok()));
    assert.deepEqual(await regularFile(socket, fs), { refused: 'a socket, not a regular file' });
  });

  it('a missing file says so', async () => {
    assert.deepEqual(await regularFile(join(dir, 'nope.ts'), fs), {
      refused: 'missing, or not readable',
      missing: true,
    });
  });
});
