import { strict as assert } from 'node:assert';
import {
  checkCandidatePath,
  isInsideWorkspace,
  joinUnderFolder,
  notSourceReason,
  systemPathReason,
  type FileKind,
  type WorkspaceFolderInfo,
} from './paths';

describe('checkCandidatePath', () => {
  const accepted: [string, string][] = [
    ['/app/src/nodes/DataFetchNode.ts', '/app/src/nodes/DataFetchNode.ts'],
    ['  /app/src/x.ts  ', '/app/src/x.ts'],
    ['/app/./src//x.ts', '/app/src/x.ts'],
    ['/app/src/../lib/x.ts', '/app/lib/x.ts'],
    ['src/engine/WorkflowRunner.ts', 'src/engine/WorkflowRunner.ts'],
    ['./src/x.ts', 'src/x.ts'],
    ['C:\\work\\shop\\orders\\views.py', 'C:/work/shop/orders/views.py'],
    ['c:/work/shop/x.py', 'C:/work/shop/x.py'],
    ['C:\\Windows\\system32\\x.dll', 'C:/Windows/system32/x.dll'],
    ['file:///app/src/x.mjs', '/app/src/x.mjs'],
    ['file://localhost/app/src/x.mjs', '/app/src/x.mjs'],
    ['file:///C:/work/x.ts', 'C:/work/x.ts'],
    ['file:///app/src/my%20file.ts', '/app/src/my file.ts'],
    ['FILE:///app/x.ts', '/app/x.ts'],
    ['webpack:///./src/pipeline/Pipeline.ts', 'src/pipeline/Pipeline.ts'],
    ['webpack://checkout/./src/main.ts', 'src/main.ts'],
    ['webpack:///src/main.ts?5a3f', 'src/main.ts'],
    ['webpack-internal:///./src/app/page.tsx', 'src/app/page.tsx'],
  ];
  for (const [raw, want] of accepted) {
    it(`accepts ${JSON.stringify(raw)} as ${want}`, () => {
      assert.deepEqual(checkCandidatePath(raw), { ok: true, path: want });
    });
  }

  const rejected: [string, string][] = [
    ['../../etc/passwd', '`..` escapes above the start of the path'],
    ['/app/../../etc/passwd', '`..` escapes above the start of the path'],
    ['src/../../x.ts', '`..` escapes above the start of the path'],
    ['C:\\..\\x.ts', '`..` escapes above the start of the path'],
    ['file:///app/%2e%2e/%2e%2e/etc/passwd', '`..` escapes above the start of the path'],
    ['webpack://app/../../secrets.ts', '`..` escapes above the start of the path'],
    ['\\\\evil\\share\\x.ts', 'UNC (network share) paths are not opened'],
    ['//evil/share/x.ts', 'UNC (network share) paths are not opened'],
    ['\\\\?\\C:\\x.ts', 'UNC (network share) paths are not opened'],
    ['file://evil/share/x.ts', 'file URI names a remote host (evil): UNC paths are not opened'],
    ['file:///%5C%5Cevil/share/x.ts', 'UNC (network share) paths are not opened'],
    ['javascript:alert(1)', 'javascript: is not a file scheme'],
    ['http://x/y.ts', 'http: is not a file scheme'],
    ['https://cdn.example.com/app.js', 'https: is not a file scheme'],
    ['data:text/plain,hi', 'data: is not a file scheme'],
    ['vscode:extension/evil', 'vscode: is not a file scheme'],
    ['command:workbench.action.terminal.new', 'command: is not a file scheme'],
    ['node:internal/process/task_queues', 'node: is not a file scheme'],
    ['/app/src/x.ts\u0000.png', 'contains a NUL or control character'],
    ['file:///app/x.ts%00.png', 'contains a NUL or control character'],
    ['file:///app/%E0%A4%A.ts', 'file URI has a malformed %-escape'],
    ['<anonymous>', 'not a file (<anonymous>)'],
    ['', 'empty path'],
    ['   ', 'empty path'],
    ['./', 'empty path'],
  ];
  for (const [raw, reason] of rejected) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.deepEqual(checkCandidatePath(raw), { ok: false, reason });
    });
  }
});

describe('isInsideWorkspace (on realpath-resolved paths)', () => {
  const folders: WorkspaceFolderInfo[] = [
    { name: 'engine', path: '/home/dev/acme/engine' },
    { name: 'shop', path: 'C:\\work\\shop' },
    { name: 'share', path: '\\\\fileserver\\projects\\billing' },
  ];
  const cases: [string, boolean, string][] = [
    ['/home/dev/acme/engine/src/x.ts', true, 'a file in the folder'],
    ['/home/dev/acme/engine', true, 'the folder itself'],
    ['/home/dev/acme/engine/', true, 'the folder with a trailing slash'],
    // The symlink scenario: <ws>/src/link.ts → /etc/passwd. The host realpaths first and gets this:
    ['/etc/passwd', false, 'a symlink target outside the workspace'],
    ['/home/dev/acme/engine-evil/x.ts', false, 'a sibling folder sharing a name prefix'],
    ['/home/dev/acme/engine/../secrets/x', false, 'a `..` climbing out'],
    ['/home/dev/acme/Engine/src/x.ts', false, 'posix paths are case-sensitive'],
    ['c:\\WORK\\Shop\\src\\x.py', true, 'win32 paths ignore case and separators'],
    ['C:/work/shop/src/x.py', true, 'win32 path with forward slashes'],
    ['D:\\work\\shop\\x.py', false, 'another drive'],
    ['\\\\fileserver\\projects\\billing\\src\\x.cs', true, 'UNC path inside a UNC workspace folder'],
    ['\\\\evil\\projects\\billing\\src\\x.cs', false, 'UNC path on another server'],
    ['src/x.ts', false, 'a relative path'],
    ['/home/dev/acme/engine/x\u0000', false, 'a NUL byte'],
  ];
  for (const [path, want, why] of cases) {
    it(`${want ? 'inside' : 'outside'}: ${why}`, () => {
      assert.equal(isInsideWorkspace(path, folders), want);
    });
  }
  it('is false with no folders', () => {
    assert.equal(isInsideWorkspace('/home/dev/acme/engine/src/x.ts', []), false);
  });
});

describe('joinUnderFolder', () => {
  it('keeps the folder separator style', () => {
    assert.equal(joinUnderFolder('/home/dev/engine/', ['src', 'x.ts']), '/home/dev/engine/src/x.ts');
    assert.equal(joinUnderFolder('C:\\work\\shop', ['src', 'x.py']), 'C:\\work\\shop\\src\\x.py');
    assert.equal(joinUnderFolder('C:/work/shop', ['src', 'x.py']), 'C:/work/shop/src/x.py');
    assert.equal(joinUnderFolder('/', ['x.ts']), '/x.ts');
  });
});

describe('system paths are never source (issue 17, item 9)', () => {
  const system: [string, string][] = [
    ['/proc/self/environ', '/proc holds system pseudo-files, not source'],
    ['/proc/1/cmdline', '/proc holds system pseudo-files, not source'],
    ['/proc/self/cwd/src/index.ts', '/proc holds system pseudo-files, not source'],
    ['/proc', '/proc holds system pseudo-files, not source'],
    ['/sys/kernel/debug/x', '/sys holds system pseudo-files, not source'],
    ['/dev/stdin', '/dev holds system pseudo-files, not source'],
    ['/dev/tcp/evil.test/80', '/dev holds system pseudo-files, not source'],
    ['/app/../proc/self/environ', '/proc holds system pseudo-files, not source'],
    ['//proc//self/./environ', '/proc holds system pseudo-files, not source'],
    ['file:///proc/self/environ', '/proc holds system pseudo-files, not source'],
    ['file:///dev/zero', '/dev holds system pseudo-files, not source'],
    ['/DEV/null', '/dev holds system pseudo-files, not source'],
    ['C:\\src\\nul.ts', 'nul.ts is a Windows device name, not a file'],
    ['C:\\src\\CON', 'CON is a Windows device name, not a file'],
    ['c:/work/com1.txt/x.ts', 'com1.txt is a Windows device name, not a file'],
    ['file:///C:/work/LPT1 .log', 'LPT1 .log is a Windows device name, not a file'],
  ];
  for (const [raw, reason] of system) {
    it(`refuses ${JSON.stringify(raw)}: ${reason}`, () => {
      const got = checkCandidatePath(raw);
      // "//proc//self" is a UNC path to the lexical check: refused before it is looked at as /proc.
      if (raw.startsWith('//')) assert.equal(got.ok, false);
      else assert.deepEqual(got, { ok: false, reason, system: true });
    });
  }

  const ordinary = [
    '/app/src/proc/self.ts',
    '/home/dev/sys/x.ts',
    '/srv/device/x.ts',
    'proc/self/environ',
    '/app/console.ts',
    'C:\\work\\connect.ts',
    'C:\\work\\com10.ts',
    '/app/nul.ts',
  ];
  for (const raw of ordinary) {
    it(`accepts ${JSON.stringify(raw)}`, () => {
      assert.equal(checkCandidatePath(raw).ok, true);
      assert.equal(systemPathReason(raw), undefined);
    });
  }

  it('Windows device paths are refused (as UNC from traces, as devices from the host)', () => {
    for (const raw of ['\\\\.\\C:\\x.ts', '\\\\?\\C:\\x.ts', '//./pipe/x']) {
      assert.equal(checkCandidatePath(raw).ok, false);
      assert.equal(systemPathReason(raw), 'a Windows device path, not a file');
    }
  });

  it('notSourceReason: only a regular file outside the system folders', () => {
    assert.equal(notSourceReason('/home/dev/x.ts', 'file'), undefined);
    assert.equal(
      notSourceReason('/proc/self/environ', 'file'),
      '/proc holds system pseudo-files, not source',
    );
    const kinds: FileKind[] = ['directory', 'fifo', 'socket', 'character device', 'block device', 'other'];
    for (const kind of kinds) {
      assert.equal(notSourceReason('/home/dev/x.ts', kind), `a ${kind}, not a regular file`);
    }
  });
});
