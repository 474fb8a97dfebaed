import { strict as assert } from 'node:assert';
import type { Attribute, SpanEvent } from '../../shared/model';
import { FileIndex } from './fileIndex';
import { exceptionFrame, outsideLocations, resolveStackFrame } from './frame';
import type { ResolveContext } from './resolve';
import { parseStackTrace } from './stackTrace';

const WS = '/home/dev/acme/engine';
const ctx = (files: string[], pathMappings: Record<string, string> = {}): ResolveContext => ({
  folders: [{ name: 'engine', path: WS }],
  pathMappings,
  fileIndex: new FileIndex(files),
});

const NODE_STACK = [
  'Error: SMTP 451 temporary failure',
  '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:61:13)',
  '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  '    at NotifyNode.send (/usr/lib/node/x/NotifyNode.ts:14:22)',
].join('\n');

const JAVA_STACK = [
  'java.lang.IllegalStateException: boom',
  '\tat com.acme.billing.Invoice.total(Invoice.java:42)',
  '\tat java.base/java.lang.Thread.run(Thread.java:833)',
].join('\n');

const exception = (stacktrace: string): SpanEvent => ({
  name: 'exception',
  timeNs: 1,
  attributes: [{ key: 'exception.stacktrace', value: stacktrace }],
});
const log: SpanEvent = {
  name: 'log',
  timeNs: 0,
  attributes: [{ key: 'exception.stacktrace', value: NODE_STACK }],
};

describe('exceptionFrame', () => {
  const events = [log, exception(NODE_STACK)];
  it('reads frame k of the exception event', () => {
    const f = exceptionFrame(events, 1, 0);
    assert.equal(f?.file, '/app/src/clients/SmtpClient.ts');
    assert.equal(f?.line, 61);
    assert.deepEqual(exceptionFrame(events, 1, 2), parseStackTrace(NODE_STACK)[2]);
  });
  const refused: Array<[string, number, number]> = [
    ['an event that is not an exception', 0, 0],
    ['an event index out of range', 5, 0],
    ['a frame index out of range', 1, 99],
  ];
  for (const [name, e, f] of refused)
    it(`refuses ${name}`, () => assert.equal(exceptionFrame(events, e, f), undefined));
  it('refuses an exception without a stack trace', () => {
    assert.equal(
      exceptionFrame(
        [{ name: 'exception', timeNs: 0, attributes: [{ key: 'exception.stacktrace', value: 42 }] }],
        0,
        0,
      ),
      undefined,
    );
  });
});

describe('resolveStackFrame', () => {
  it('maps a container frame into the workspace by suffix and says which frame', () => {
    const frame = exceptionFrame([exception(NODE_STACK)], 0, 0)!;
    const r = resolveStackFrame(
      frame,
      ctx([`${WS}/src/clients/SmtpClient.ts`]),
      'exception.stacktrace frame 1',
    );
    assert.deepEqual(
      r.candidates.map((c) => [c.path, c.line, c.column]),
      [[`${WS}/src/clients/SmtpClient.ts`, 61, 13]],
    );
    assert.match(
      r.candidates[0]!.reason,
      /^exception\.stacktrace frame 1 \/app\/src\/clients\/SmtpClient\.ts:61:13 /,
    );
    assert.deepEqual(r.outside, []);
  });

  it('uses a path mapping', () => {
    const frame = exceptionFrame([exception(NODE_STACK)], 0, 0)!;
    const r = resolveStackFrame(
      frame,
      ctx([`${WS}/lib/clients/SmtpClient.ts`], { '/app/src': '${workspaceFolder}/lib' }),
    );
    assert.equal(r.candidates[0]?.path, `${WS}/lib/clients/SmtpClient.ts`);
  });

  it('prefers the Java package path to a bare file name', () => {
    const frame = exceptionFrame([exception(JAVA_STACK)], 0, 0)!;
    const r = resolveStackFrame(
      frame,
      ctx([`${WS}/legacy/Invoice.java`, `${WS}/src/main/java/com/acme/billing/Invoice.java`]),
    );
    assert.deepEqual(
      r.candidates.map((c) => c.path),
      [`${WS}/src/main/java/com/acme/billing/Invoice.java`],
    );
    assert.equal(r.candidates[0]!.line, 42);
  });

  it('offers a file outside the workspace with its line, and a symbol search', () => {
    const frame = exceptionFrame([exception(NODE_STACK)], 0, 2)!;
    const r = resolveStackFrame(frame, ctx([]));
    assert.deepEqual(r.outside, [{ path: '/usr/lib/node/x/NotifyNode.ts', line: 14, column: 22 }]);
    assert.deepEqual(
      r.candidates.map((c) => [c.origin, c.functionName]),
      [['symbol', 'NotifyNode.send']],
    );
  });

  it('never returns a path outside the folders for an escaping frame', () => {
    const frame = { file: '/app/../../etc/passwd', line: 1, language: 'node' as const, library: false };
    const r = resolveStackFrame(frame, ctx([`${WS}/etc/passwd`]));
    assert.ok(r.candidates.every((c) => c.path === '' || c.path.startsWith(WS + '/')));
  });

  it('never offers a frame in /proc, and says why', () => {
    const frame = { file: '/proc/self/environ', line: 1, language: 'node' as const, library: false };
    const r = resolveStackFrame(frame, ctx([`${WS}/self/environ`]));
    assert.deepEqual(r.outside, []);
    assert.ok(r.candidates.every((c) => c.origin === 'symbol'));
    assert.deepEqual(r.refused, [
      { path: '/proc/self/environ', reason: '/proc holds system pseudo-files, not source' },
    ]);
  });
});

describe('outsideLocations', () => {
  it('takes the line from code.* attributes or from the frame naming the path', () => {
    const attributes: Attribute[] = [
      { key: 'code.filepath', value: '/opt/tools/lib.py' },
      { key: 'code.lineno', value: '77' },
    ];
    const got = outsideLocations(attributes, [exception(NODE_STACK)], ctx([]));
    assert.deepEqual(got, [
      { path: '/opt/tools/lib.py', line: 77 },
      { path: '/app/src/clients/SmtpClient.ts', line: 61, column: 13 },
      { path: '/usr/lib/node/x/NotifyNode.ts', line: 14, column: 22 },
    ]);
  });
  it('lists nothing when everything resolves', () => {
    const got = outsideLocations(
      [{ key: 'code.filepath', value: '/app/src/clients/SmtpClient.ts' }],
      [],
      ctx([`${WS}/src/clients/SmtpClient.ts`]),
    );
    assert.deepEqual(got, []);
  });
});
