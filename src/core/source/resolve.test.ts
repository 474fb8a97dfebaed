import { strict as assert } from 'node:assert';
import type { Attribute, AttributeValue, SpanEvent } from '../../shared/model';
import { FileIndex } from './fileIndex';
import {
  outsideWorkspace,
  refusedPaths,
  resolveSpanSource,
  type ResolveContext,
  type SourceCandidate,
} from './resolve';
import type { WorkspaceFolderInfo } from './paths';

const attrs = (o: Record<string, AttributeValue>): Attribute[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

const exception = (stacktrace: string): SpanEvent => ({
  name: 'exception',
  timeNs: 1_500_000,
  attributes: attrs({
    'exception.type': 'Error',
    'exception.message': 'failed',
    'exception.stacktrace': stacktrace,
  }),
});

function context(
  folders: WorkspaceFolderInfo[],
  files: string[],
  pathMappings: Record<string, string> = {},
  serviceName?: string,
): ResolveContext {
  const ctx: ResolveContext = { folders, pathMappings, fileIndex: new FileIndex(files) };
  if (serviceName !== undefined) ctx.serviceName = serviceName;
  return ctx;
}

/** One line per candidate: `path:line[:col] origin score [lib]`, for ranking tables. */
const brief = (cs: SourceCandidate[]): string[] =>
  cs.map(
    (c) =>
      `${c.path}:${c.line}${c.column !== undefined ? ':' + c.column : ''} ${c.origin} ${c.score}${c.userCode ? '' : ' lib'}`,
  );

const WS = '/home/dev/acme/engine';
const ENGINE: WorkspaceFolderInfo = { name: 'engine', path: WS };
const ENGINE_FILES = [
  `${WS}/src/nodes/DataFetchNode.ts`,
  `${WS}/src/nodes/NotifyNode.ts`,
  `${WS}/src/nodes/TransformNode.ts`,
  `${WS}/src/nodes/ValidateInputNode.ts`,
  `${WS}/src/clients/SmtpClient.ts`,
  `${WS}/src/clients/PartnerApiClient.ts`,
  `${WS}/src/engine/WorkflowRunner.ts`,
  `${WS}/src/index.ts`,
  `${WS}/test/nodes/DataFetchNode.test.ts`,
];

const SMTP_STACK = [
  'Error: SMTP 451 temporary failure',
  '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:61:13)',
  '    at NotifyNode.send (/app/src/nodes/NotifyNode.ts:14:22)',
  '    at WorkflowRunner.execute (/app/src/engine/WorkflowRunner.ts:57:9)',
].join('\n');

describe('resolveSpanSource: the fixture spans', () => {
  const dataFetch = attrs({
    'code.filepath': '/app/src/nodes/DataFetchNode.ts',
    'code.lineno': '55',
    'code.function': 'DataFetchNode.fetch',
  });

  it('DataFetchNode: string line number, matched by path suffix with no mapping configured', () => {
    assert.deepEqual(resolveSpanSource(dataFetch, [], context([ENGINE], ENGINE_FILES)), [
      {
        path: `${WS}/src/nodes/DataFetchNode.ts`,
        line: 55,
        functionName: 'DataFetchNode.fetch',
        reason:
          'code.filepath /app/src/nodes/DataFetchNode.ts:55 matched by path suffix src/nodes/DataFetchNode.ts (3 segments) in workspace folder engine',
        why: {
          via: 'code.filepath',
          written: '/app/src/nodes/DataFetchNode.ts:55',
          mapping: { kind: 'suffix', suffix: 'src/nodes/DataFetchNode.ts', segments: 3, folder: 'engine' },
        },
        origin: 'code-attributes',
        score: 1000,
        userCode: true,
      },
    ]);
  });

  it('DataFetchNode: mapped by /app → ${workspaceFolder}', () => {
    const ctx = context([ENGINE], ENGINE_FILES, { '/app': '${workspaceFolder}' });
    assert.deepEqual(resolveSpanSource(dataFetch, [], ctx), [
      {
        path: `${WS}/src/nodes/DataFetchNode.ts`,
        line: 55,
        functionName: 'DataFetchNode.fetch',
        reason: 'code.filepath /app/src/nodes/DataFetchNode.ts:55 mapped by /app → ${workspaceFolder}',
        why: {
          via: 'code.filepath',
          written: '/app/src/nodes/DataFetchNode.ts:55',
          mapping: { kind: 'mapped', from: '/app', to: '${workspaceFolder}', indexed: true },
        },
        origin: 'code-attributes',
        score: 1000,
        userCode: true,
      },
    ]);
  });

  it('SMTP exception stack trace alone: SmtpClient.ts:61:13 first, then the callers in order', () => {
    const got = resolveSpanSource([], [exception(SMTP_STACK)], context([ENGINE], ENGINE_FILES));
    assert.deepEqual(got[0], {
      path: `${WS}/src/clients/SmtpClient.ts`,
      line: 61,
      column: 13,
      functionName: 'SmtpClient.send',
      reason:
        'exception.stacktrace frame 1 /app/src/clients/SmtpClient.ts:61:13 matched by path suffix src/clients/SmtpClient.ts (3 segments) in workspace folder engine',
      why: {
        via: 'exception.stacktrace frame 1',
        written: '/app/src/clients/SmtpClient.ts:61:13',
        mapping: { kind: 'suffix', suffix: 'src/clients/SmtpClient.ts', segments: 3, folder: 'engine' },
      },
      origin: 'exception.stacktrace',
      score: 800,
      userCode: true,
    });
    assert.deepEqual(brief(got), [
      `${WS}/src/clients/SmtpClient.ts:61:13 exception.stacktrace 800`,
      `${WS}/src/nodes/NotifyNode.ts:14:22 exception.stacktrace 796`,
      `${WS}/src/engine/WorkflowRunner.ts:57:9 exception.stacktrace 792`,
    ]);
  });

  it('NotifyNode span: relative code.filepath first, then the exception frames', () => {
    const span = attrs({
      'code.filepath': 'src/nodes/NotifyNode.ts',
      'code.lineno': '12',
      'code.function': 'NotifyNode.send',
    });
    const got = resolveSpanSource(span, [exception(SMTP_STACK)], context([ENGINE], ENGINE_FILES));
    assert.equal(
      got[0]!.reason,
      'code.filepath src/nodes/NotifyNode.ts:12 relative to workspace folder engine',
    );
    assert.deepEqual(brief(got), [
      `${WS}/src/nodes/NotifyNode.ts:12 code-attributes 1000`,
      `${WS}/src/clients/SmtpClient.ts:61:13 exception.stacktrace 800`,
      `${WS}/src/nodes/NotifyNode.ts:14:22 exception.stacktrace 796`,
      `${WS}/src/engine/WorkflowRunner.ts:57:9 exception.stacktrace 792`,
    ]);
  });
});

describe('resolveSpanSource: code.* attributes', () => {
  const ctx = context([ENGINE], ENGINE_FILES);
  const cases: {
    name: string;
    attributes: Record<string, AttributeValue>;
    want: Partial<SourceCandidate>;
  }[] = [
    {
      name: 'new keys with numbers',
      attributes: {
        'code.file.path': 'src/nodes/ValidateInputNode.ts',
        'code.line.number': 18,
        'code.column.number': 5,
        'code.function.name': 'ValidateInputNode.run',
      },
      want: {
        path: `${WS}/src/nodes/ValidateInputNode.ts`,
        line: 18,
        column: 5,
        functionName: 'ValidateInputNode.run',
      },
    },
    {
      name: 'new keys win over old ones when both are sent (OTEL_SEMCONV_STABILITY_OPT_IN=code/dup)',
      attributes: {
        'code.filepath': 'src/index.ts',
        'code.file.path': 'src/nodes/ValidateInputNode.ts',
        'code.lineno': '99',
        'code.line.number': '18',
        'code.column': 1,
        'code.column.number': '5',
        'code.function': 'main',
        'code.function.name': 'ValidateInputNode.run',
      },
      want: {
        path: `${WS}/src/nodes/ValidateInputNode.ts`,
        line: 18,
        column: 5,
        functionName: 'ValidateInputNode.run',
      },
    },
    {
      name: 'old keys: code.namespace + code.function builds Namespace.function',
      attributes: {
        'code.filepath': '/app/src/nodes/TransformNode.ts',
        'code.lineno': '27',
        'code.function': 'run',
        'code.namespace': 'TransformNode',
      },
      want: { path: `${WS}/src/nodes/TransformNode.ts`, line: 27, functionName: 'TransformNode.run' },
    },
    {
      name: 'old column key as a string',
      attributes: { 'code.filepath': 'src/index.ts', 'code.lineno': 3, 'code.column': '7' },
      want: { path: `${WS}/src/index.ts`, line: 3, column: 7 },
    },
    {
      name: 'a column without a line is ignored',
      attributes: { 'code.filepath': 'src/index.ts', 'code.column': 7 },
      want: { path: `${WS}/src/index.ts`, line: 1 },
    },
    {
      name: 'a new key that is empty falls back to the old one',
      attributes: {
        'code.file.path': '  ',
        'code.filepath': 'src/index.ts',
        'code.line.number': '',
        'code.lineno': 4,
      },
      want: { path: `${WS}/src/index.ts`, line: 4 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveSpanSource(attrs(c.attributes), [], ctx);
      assert.equal(got.length, 1);
      const { path, line, column, functionName } = got[0]!;
      const picked: Partial<SourceCandidate> = { path, line };
      if (column !== undefined) picked.column = column;
      if (functionName !== undefined) picked.functionName = functionName;
      assert.deepEqual(picked, c.want);
    });
  }

  const badLines: AttributeValue[] = ['abc', '0', -3, 5.5, true, null, '12abc', '1e3'];
  for (const bad of badLines) {
    it(`line ${JSON.stringify(bad)} is not a line number: opens line 1 and says so`, () => {
      const got = resolveSpanSource(attrs({ 'code.filepath': 'src/index.ts', 'code.lineno': bad }), [], ctx);
      assert.deepEqual(
        got.map((c) => [c.line, c.reason]),
        [[1, 'code.filepath src/index.ts relative to workspace folder engine (no line number: line 1)']],
      );
    });
  }
});

describe('resolveSpanSource: path mapping', () => {
  const ENG = '/home/dev/acme/workflow-engine';
  const PAY = '/home/dev/acme/payments';
  const folders: WorkspaceFolderInfo[] = [
    { name: 'workflow-engine', path: ENG },
    { name: 'payments', path: PAY },
  ];
  const files = [
    `${ENG}/src/engine/WorkflowRunner.ts`,
    `${ENG}/src/index.ts`,
    `${PAY}/src/charge.ts`,
    `${PAY}/src/index.ts`,
  ];
  const at = (path: string, line = 10): Attribute[] =>
    attrs({ 'code.file.path': path, 'code.line.number': line });

  const cases: {
    name: string;
    mappings: Record<string, string>;
    raw: string;
    want: string[];
    reason?: string;
  }[] = [
    {
      name: 'longest prefix wins: /usr/src/app/payments over /usr/src/app',
      mappings: {
        '/usr/src/app': '${workspaceFolder}',
        '/usr/src/app/payments': '${workspaceFolder:payments}',
      },
      raw: '/usr/src/app/payments/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /usr/src/app/payments/src/charge.ts:10 mapped by /usr/src/app/payments → ${workspaceFolder:payments}',
    },
    {
      name: '${workspaceFolder} is the first folder',
      mappings: {
        '/usr/src/app': '${workspaceFolder}',
        '/usr/src/app/payments': '${workspaceFolder:payments}',
      },
      raw: '/usr/src/app/src/engine/WorkflowRunner.ts',
      want: [`${ENG}/src/engine/WorkflowRunner.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /usr/src/app/src/engine/WorkflowRunner.ts:10 mapped by /usr/src/app → ${workspaceFolder}',
    },
    {
      name: 'a mapping naming an unknown folder is skipped for the next-longest',
      mappings: {
        '/srv/payments/src': '${workspaceFolder:no-such-folder}/src',
        '/srv/payments': '${workspaceFolder:payments}',
      },
      raw: '/srv/payments/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /srv/payments/src/charge.ts:10 mapped by /srv/payments → ${workspaceFolder:payments}',
    },
    {
      name: 'prefixes match whole segments: /app does not map /application',
      mappings: { '/app': '/nowhere' },
      raw: '/application/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /application/src/charge.ts:10 matched by path suffix src/charge.ts (2 segments) in workspace folder payments',
    },
    {
      name: 'an absolute target inside the workspace',
      mappings: { '/app': PAY },
      raw: '/app/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
    },
    {
      name: 'mapped file missing from the index: the suffix match is used instead',
      mappings: { '/app': '${workspaceFolder}' },
      raw: '/app/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /app/src/charge.ts:10 matched by path suffix src/charge.ts (2 segments) in workspace folder payments',
    },
    {
      name: 'mapped file missing from the index and no suffix match: the mapped path, flagged',
      mappings: { '/app': '${workspaceFolder}' },
      raw: '/app/generated/schema.ts',
      want: [`${ENG}/generated/schema.ts:10 code-attributes 1000`],
      reason:
        'code.file.path /app/generated/schema.ts:10 mapped by /app → ${workspaceFolder} (not in the workspace file index)',
    },
    {
      name: 'a path already inside the workspace (local run) needs no mapping',
      mappings: {},
      raw: `${PAY}/src/charge.ts`,
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
      reason: `code.file.path ${PAY}/src/charge.ts:10 inside workspace folder payments`,
    },
    {
      name: 'a mapping key given with a trailing slash and a file: URI path',
      mappings: { '/usr/src/app/': '${workspaceFolder:payments}' },
      raw: 'file:///usr/src/app/src/charge.ts',
      want: [`${PAY}/src/charge.ts:10 code-attributes 1000`],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveSpanSource(at(c.raw), [], context(folders, files, c.mappings));
      assert.deepEqual(brief(got), c.want);
      if (c.reason !== undefined) assert.equal(got[0]!.reason, c.reason);
    });
  }

  it('Windows build agent paths onto a Windows workspace, in the workspace spelling', () => {
    const folder = { name: 'payments', path: 'C:\\Users\\dev\\payments' };
    const ctx = context(
      [folder],
      [
        'C:\\Users\\dev\\payments\\src\\Payments\\StripeClient.cs',
        'C:\\Users\\dev\\payments\\src\\Payments\\PaymentService.cs',
      ],
      { 'C:\\agent\\_work\\1\\s': '${workspaceFolder}' },
    );
    const stack = [
      'System.Net.Http.HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).',
      '   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()',
      '   at Acme.Payments.Gateway.StripeClient.<ChargeAsync>d__7.MoveNext() in C:\\agent\\_work\\1\\s\\src\\Payments\\StripeClient.cs:line 112',
      '--- End of stack trace from previous location ---',
      '   at Acme.Payments.PaymentService.<PayAsync>d__3.MoveNext() in c:\\Agent\\_work\\1\\s\\src\\Payments\\PaymentService.cs:line 45',
    ].join('\r\n');
    const got = resolveSpanSource([], [exception(stack)], ctx);
    assert.deepEqual(brief(got), [
      'C:\\Users\\dev\\payments\\src\\Payments\\StripeClient.cs:112 exception.stacktrace 800',
      'C:\\Users\\dev\\payments\\src\\Payments\\PaymentService.cs:45 exception.stacktrace 796',
    ]);
    assert.equal(got[0]!.functionName, 'Acme.Payments.Gateway.StripeClient.ChargeAsync');
  });

  it('a Linux container path onto a Windows workspace by suffix', () => {
    const ctx = context(
      [{ name: 'shop', path: 'C:\\Users\\dev\\shop' }],
      ['C:\\Users\\dev\\shop\\orders\\views.py'],
    );
    const got = resolveSpanSource(
      attrs({ 'code.filepath': '/srv/shop/orders/views.py', 'code.lineno': 23 }),
      [],
      ctx,
    );
    assert.deepEqual(brief(got), ['C:\\Users\\dev\\shop\\orders\\views.py:23 code-attributes 1000']);
    assert.equal(
      got[0]!.reason,
      'code.filepath /srv/shop/orders/views.py:23 matched by path suffix shop/orders/views.py (3 segments) in workspace folder shop',
    );
  });
});

describe('resolveSpanSource: suffix matching and multi-root workspaces', () => {
  const ROOT = '/home/dev/acme';
  const folders: WorkspaceFolderInfo[] = [
    { name: 'workflow-engine', path: `${ROOT}/workflow-engine` },
    { name: 'notifier', path: `${ROOT}/notifier` },
    { name: 'data-fetch-service', path: `${ROOT}/data-fetch-service` },
  ];
  const files = [
    `${ROOT}/workflow-engine/src/index.ts`,
    `${ROOT}/workflow-engine/src/engine/WorkflowRunner.ts`,
    `${ROOT}/notifier/src/index.ts`,
    `${ROOT}/data-fetch-service/src/index.ts`,
    `${ROOT}/data-fetch-service/src/nodes/DataFetchNode.ts`,
  ];
  const span = (file: string): Attribute[] => attrs({ 'code.filepath': file, 'code.lineno': '5' });

  const cases: { name: string; file: string; service?: string; want: string[]; firstReason?: string }[] = [
    {
      name: 'relative path present in one folder',
      file: 'src/engine/WorkflowRunner.ts',
      want: [`${ROOT}/workflow-engine/src/engine/WorkflowRunner.ts:5 code-attributes 1000`],
      firstReason:
        'code.filepath src/engine/WorkflowRunner.ts:5 relative to workspace folder workflow-engine',
    },
    {
      name: 'relative path in every folder: the service name picks the folder, the others follow',
      file: 'src/index.ts',
      service: 'notifier',
      want: [
        `${ROOT}/notifier/src/index.ts:5 code-attributes 1000`,
        `${ROOT}/workflow-engine/src/index.ts:5 code-attributes 999`,
        `${ROOT}/data-fetch-service/src/index.ts:5 code-attributes 998`,
      ],
      firstReason: 'code.filepath src/index.ts:5 relative to workspace folder notifier',
    },
    {
      name: 'container path in every folder: a folder name containing the service name is preferred',
      file: '/app/src/index.ts',
      service: 'data-fetch',
      want: [
        `${ROOT}/data-fetch-service/src/index.ts:5 code-attributes 1000`,
        `${ROOT}/notifier/src/index.ts:5 code-attributes 999`,
        `${ROOT}/workflow-engine/src/index.ts:5 code-attributes 998`,
      ],
      firstReason:
        'code.filepath /app/src/index.ts:5 matched by path suffix src/index.ts (2 segments) in workspace folder data-fetch-service, preferred for service data-fetch',
    },
    {
      name: 'no service name: equally good matches in name order',
      file: '/app/src/index.ts',
      want: [
        `${ROOT}/data-fetch-service/src/index.ts:5 code-attributes 1000`,
        `${ROOT}/notifier/src/index.ts:5 code-attributes 999`,
        `${ROOT}/workflow-engine/src/index.ts:5 code-attributes 998`,
      ],
    },
    {
      name: 'the longest suffix beats the preferred folder',
      file: '/app/src/nodes/DataFetchNode.ts',
      service: 'notifier',
      want: [`${ROOT}/data-fetch-service/src/nodes/DataFetchNode.ts:5 code-attributes 1000`],
    },
    {
      name: 'a shared base name alone is not trusted when the path says more',
      file: '/app/lib/index.ts',
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveSpanSource(span(c.file), [], context(folders, files, {}, c.service));
      assert.deepEqual(brief(got), c.want);
      if (c.firstReason !== undefined) assert.equal(got[0]!.reason, c.firstReason);
    });
  }

  it('an exact folder-name match beats one that merely contains the service name', () => {
    const two: WorkspaceFolderInfo[] = [
      { name: 'notifier-legacy', path: '/w/notifier-legacy' },
      { name: 'Notifier', path: '/w/notifier' },
    ];
    const got = resolveSpanSource(
      span('src/index.ts'),
      [],
      context(two, ['/w/notifier-legacy/src/index.ts', '/w/notifier/src/index.ts'], {}, 'notifier'),
    );
    assert.deepEqual(brief(got), [
      '/w/notifier/src/index.ts:5 code-attributes 1000',
      '/w/notifier-legacy/src/index.ts:5 code-attributes 999',
    ]);
  });
});

describe('resolveSpanSource: ranking, stack traces and de-duplication', () => {
  const files = [
    ...ENGINE_FILES,
    `${WS}/src/controllers/OrderController.ts`,
    `${WS}/node_modules/express/lib/router/layer.js`,
    `${WS}/src/pipeline/Pipeline.ts`,
    `${WS}/src/main.ts`,
  ];
  const ctx = context([ENGINE], files);

  it('user frames of every origin rank above library frames; top user frame first', () => {
    const codeStack = [
      'Error',
      '    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)',
      '    at OrderController.create (/app/src/controllers/OrderController.ts:42:31)',
    ].join('\n');
    const got = resolveSpanSource(attrs({ 'code.stacktrace': codeStack }), [exception(SMTP_STACK)], ctx);
    assert.deepEqual(brief(got), [
      `${WS}/src/controllers/OrderController.ts:42:31 code.stacktrace 900`,
      `${WS}/src/clients/SmtpClient.ts:61:13 exception.stacktrace 800`,
      `${WS}/src/nodes/NotifyNode.ts:14:22 exception.stacktrace 796`,
      `${WS}/src/engine/WorkflowRunner.ts:57:9 exception.stacktrace 792`,
      `${WS}/node_modules/express/lib/router/layer.js:95:5 code.stacktrace 500 lib`,
    ]);
    assert.equal(
      got[0]!.reason,
      'code.stacktrace frame 2 /app/src/controllers/OrderController.ts:42:31 matched by path suffix src/controllers/OrderController.ts (3 segments) in workspace folder engine',
    );
  });

  it('the same file and line from attributes and a frame is one candidate, filled in from both', () => {
    const got = resolveSpanSource(
      attrs({ 'code.filepath': '/app/src/clients/SmtpClient.ts', 'code.lineno': 61 }),
      [exception(SMTP_STACK)],
      ctx,
    );
    assert.deepEqual(brief(got), [
      `${WS}/src/clients/SmtpClient.ts:61:13 code-attributes 1000`,
      `${WS}/src/nodes/NotifyNode.ts:14:22 exception.stacktrace 796`,
      `${WS}/src/engine/WorkflowRunner.ts:57:9 exception.stacktrace 792`,
    ]);
    assert.equal(got[0]!.functionName, 'SmtpClient.send');
  });

  it('several exception events: frames keep their order and name their event', () => {
    const second = '    at Pipeline.run (/app/src/pipeline/Pipeline.ts:30:11)';
    const got = resolveSpanSource(
      [],
      [exception(SMTP_STACK), { name: 'log', timeNs: 0, attributes: [] }, exception(second)],
      ctx,
    );
    assert.deepEqual(brief(got).slice(3), [`${WS}/src/pipeline/Pipeline.ts:30:11 exception.stacktrace 788`]);
    assert.match(got[3]!.reason, /^exception\.stacktrace \(event 2\) frame 1 /);
  });

  it('events not named "exception" are ignored', () => {
    const ev: SpanEvent = {
      name: 'http.client.request.exception',
      timeNs: 0,
      attributes: attrs({ 'exception.stacktrace': SMTP_STACK }),
    };
    assert.deepEqual(resolveSpanSource([], [ev], ctx), []);
  });

  it('webpack and file: URLs in frames', () => {
    const stack = [
      'Error: pipeline stalled',
      '    at new Pipeline (webpack:///./src/pipeline/Pipeline.ts:30:11)',
      '    at Object.<anonymous> (webpack://checkout/./src/main.ts:8:1)',
      '    at __webpack_require__ (webpack:///webpack/bootstrap:19:1)',
      '    at file:///srv/app/src/index.ts:12:9',
    ].join('\n');
    const got = resolveSpanSource([], [exception(stack)], ctx);
    assert.deepEqual(brief(got), [
      `${WS}/src/pipeline/Pipeline.ts:30:11 exception.stacktrace 800`,
      `${WS}/src/main.ts:8:1 exception.stacktrace 796`,
      `${WS}/src/index.ts:12:9 exception.stacktrace 792`,
    ]);
    assert.equal(
      got[0]!.reason,
      'exception.stacktrace frame 1 webpack:///./src/pipeline/Pipeline.ts:30:11 relative to workspace folder engine',
    );
  });

  it('Java frames find their file through the package path', () => {
    const J = '/home/dev/acme/orders';
    const jctx = context(
      [{ name: 'orders', path: J }],
      [
        `${J}/src/main/java/com/acme/orders/OrderService.java`,
        `${J}/legacy/OrderService.java`,
        `${J}/src/main/kotlin/StripeGateway.kt`,
      ],
    );
    const stack = [
      'java.lang.IllegalStateException: inventory unavailable',
      '\tat com.acme.orders.OrderService.place(OrderService.java:42)',
      '\tat com.acme.billing.StripeGateway.charge(StripeGateway.kt:57)',
      '\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)',
    ].join('\n');
    const got = resolveSpanSource([], [exception(stack)], jctx);
    assert.deepEqual(brief(got), [
      `${J}/src/main/java/com/acme/orders/OrderService.java:42 exception.stacktrace 800`,
      `${J}/src/main/kotlin/StripeGateway.kt:57 exception.stacktrace 796`,
    ]);
    assert.equal(
      got[0]!.reason,
      'exception.stacktrace frame 1 OrderService.java:42 matched by path suffix com/acme/orders/OrderService.java (4 segments) in workspace folder orders',
    );
    assert.equal(
      got[1]!.reason,
      'exception.stacktrace frame 2 StripeGateway.kt:57 matched by path suffix StripeGateway.kt (1 segment) in workspace folder orders',
    );
  });

  it('Python traceback: the raising frame first', () => {
    const P = '/home/dev/acme/svc';
    const pctx = context([{ name: 'svc', path: P }], [`${P}/svc/handlers.py`, `${P}/svc/repo.py`]);
    const tb = [
      'Traceback (most recent call last):',
      '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app',
      '    response = self.full_dispatch_request()',
      '  File "/app/svc/handlers.py", line 88, in handle',
      '    order = repo.load(order_id)',
      '  File "/app/svc/repo.py", line 31, in load',
      '    raise KeyError(order_id)',
      "KeyError: 'o-123'",
    ].join('\n');
    assert.deepEqual(brief(resolveSpanSource([], [exception(tb)], pctx)), [
      `${P}/svc/repo.py:31 exception.stacktrace 800`,
      `${P}/svc/handlers.py:88 exception.stacktrace 796`,
    ]);
  });
});

describe('resolveSpanSource: symbol fallback', () => {
  const ctx = context([ENGINE], ENGINE_FILES);

  it('a function name without a file asks for a workspace symbol search', () => {
    assert.deepEqual(resolveSpanSource(attrs({ 'code.function.name': 'DataFetchNode.fetch' }), [], ctx), [
      {
        path: '',
        line: 0,
        functionName: 'DataFetchNode.fetch',
        reason: 'code.function.name DataFetchNode.fetch names no file: search workspace symbols',
        origin: 'symbol',
        score: 10,
        userCode: true,
      },
    ]);
  });

  it('old keys: the qualified name is searched', () => {
    const got = resolveSpanSource(
      attrs({ 'code.function': 'run', 'code.namespace': 'TransformNode' }),
      [],
      ctx,
    );
    assert.deepEqual(
      got.map((c) => [c.origin, c.functionName, c.reason]),
      [
        [
          'symbol',
          'TransformNode.run',
          'code.namespace + code.function TransformNode.run names no file: search workspace symbols',
        ],
      ],
    );
  });

  it('a file outside the workspace: symbol search last, after stack frames', () => {
    const got = resolveSpanSource(
      attrs({
        'code.filepath': '/opt/legacy/Fetcher.ts',
        'code.lineno': 9,
        'code.function': 'DataFetchNode.fetch',
      }),
      [exception(SMTP_STACK)],
      ctx,
    );
    assert.deepEqual(brief(got), [
      `${WS}/src/clients/SmtpClient.ts:61:13 exception.stacktrace 800`,
      `${WS}/src/nodes/NotifyNode.ts:14:22 exception.stacktrace 796`,
      `${WS}/src/engine/WorkflowRunner.ts:57:9 exception.stacktrace 792`,
      ':0 symbol 10',
    ]);
    assert.equal(
      got[3]!.reason,
      'code.function DataFetchNode.fetch: code.filepath /opt/legacy/Fetcher.ts is not in the workspace, search workspace symbols',
    );
  });

  it('no symbol candidate when the file resolves', () => {
    const got = resolveSpanSource(
      attrs({ 'code.filepath': 'src/index.ts', 'code.function.name': 'main' }),
      [],
      ctx,
    );
    assert.deepEqual(brief(got), [`${WS}/src/index.ts:1 code-attributes 1000`]);
  });

  it('nothing at all for a span without code attributes or exceptions', () => {
    assert.deepEqual(resolveSpanSource(attrs({ 'http.method': 'GET' }), [], ctx), []);
  });
});

describe('resolveSpanSource: fails closed on escape attempts', () => {
  // A workspace with files an escape could aim at by suffix, so only the checks stop them.
  const files = [`${WS}/src/index.ts`, `${WS}/share/x.ts`, `${WS}/y.ts`];
  const ctx = context([ENGINE], files, { '/app': '${workspaceFolder}' });

  const cases: { raw: string; outside: string[] }[] = [
    { raw: '../../etc/passwd', outside: [] },
    { raw: '/app/../../etc/passwd', outside: [] },
    { raw: '/etc/passwd', outside: ['/etc/passwd'] },
    { raw: 'C:\\Windows\\system32\\x.dll', outside: ['C:\\Windows\\system32\\x.dll'] },
    { raw: '\\\\evil\\share\\x.ts', outside: [] },
    { raw: '//evil/share/x.ts', outside: [] },
    { raw: 'file://evil/share/x.ts', outside: [] },
    { raw: 'javascript:alert(1)', outside: [] },
    { raw: 'http://x/y.ts', outside: [] },
    { raw: 'vscode://file/etc/passwd', outside: [] },
    { raw: 'data:text/javascript,alert(1)', outside: [] },
    { raw: '/app/src/index.ts\u0000.png', outside: [] },
    { raw: 'webpack://app/../../../etc/passwd', outside: [] },
  ];
  for (const c of cases) {
    it(`code.filepath ${JSON.stringify(c.raw)}`, () => {
      const a = attrs({ 'code.filepath': c.raw, 'code.lineno': 1 });
      assert.deepEqual(resolveSpanSource(a, [], ctx), []);
      assert.deepEqual(outsideWorkspace(a, [], ctx), c.outside);
    });
    it(`stack frame ${JSON.stringify(c.raw)}`, () => {
      const ev = [
        exception(`Traceback (most recent call last):\n  File "${c.raw}", line 1, in x\n    x()\nError: x`),
      ];
      assert.deepEqual(resolveSpanSource([], ev, ctx), []);
      assert.deepEqual(outsideWorkspace([], ev, ctx), c.outside);
    });
  }

  const badMappings: { name: string; target: string }[] = [
    { name: 'target climbs out of the folder', target: '${workspaceFolder}/../../../etc' },
    { name: 'target is a system directory', target: '/etc' },
    { name: 'target is a UNC share', target: '\\\\evil\\share' },
    { name: 'target names an unknown folder', target: '${workspaceFolder:nope}' },
    { name: 'target is relative', target: 'etc' },
  ];
  for (const m of badMappings) {
    it(`mapping whose ${m.name} produces nothing`, () => {
      const mctx = context([ENGINE], files, { '/app': m.target });
      const a = attrs({ 'code.filepath': '/app/passwd', 'code.lineno': 1 });
      assert.deepEqual(resolveSpanSource(a, [], mctx), []);
      assert.deepEqual(outsideWorkspace(a, [], mctx), ['/app/passwd']);
    });
  }

  it('an escaping mapping does not stop a safe suffix match inside the workspace', () => {
    const mctx = context([ENGINE], files, { '/app': '${workspaceFolder}/../../../etc' });
    const got = resolveSpanSource(
      attrs({ 'code.filepath': '/app/src/index.ts', 'code.lineno': 2 }),
      [],
      mctx,
    );
    assert.deepEqual(brief(got), [`${WS}/src/index.ts:2 code-attributes 1000`]);
  });

  it('an index entry outside the folders is never returned', () => {
    const leaky = context(
      [ENGINE],
      [`${WS}/src/index.ts`, '/etc/src/index.ts', '/home/dev/acme/engine-evil/src/index.ts'],
    );
    const got = resolveSpanSource(attrs({ 'code.filepath': '/app/src/index.ts' }), [], leaky);
    assert.deepEqual(brief(got), [`${WS}/src/index.ts:1 code-attributes 1000`]);
  });

  it('no folders: nothing resolves, absolute paths are offered', () => {
    const none = context([], [`${WS}/src/index.ts`], { '/app': '${workspaceFolder}' });
    const a = attrs({ 'code.filepath': '/app/src/index.ts', 'code.lineno': 1 });
    assert.deepEqual(resolveSpanSource(a, [], none), []);
    assert.deepEqual(outsideWorkspace(a, [], none), ['/app/src/index.ts']);
  });
});

describe('outsideWorkspace', () => {
  it('lists dropped absolute paths as written, user code first, once each', () => {
    const ctx = context([ENGINE], ENGINE_FILES);
    const stack = [
      'Error: boom',
      '    at Module.load (/usr/lib/node_modules/npm/lib/cli.js:10:3)',
      '    at Worker.run (/srv/other/worker.ts:5:1)',
      '    at SmtpClient.send (/app/src/clients/SmtpClient.ts:61:13)',
      '    at Worker.run (/srv/other/worker.ts:9:1)',
      '    at loadRules (rules/unknown.ts:3:1)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    const a = attrs({ 'code.filepath': 'file:///opt/legacy/Fetcher.ts', 'code.lineno': 9 });
    assert.deepEqual(outsideWorkspace(a, [exception(stack)], ctx), [
      'file:///opt/legacy/Fetcher.ts',
      '/srv/other/worker.ts',
      '/usr/lib/node_modules/npm/lib/cli.js',
    ]);
    assert.deepEqual(brief(resolveSpanSource(a, [exception(stack)], ctx)), [
      `${WS}/src/clients/SmtpClient.ts:61:13 exception.stacktrace 796`,
    ]);
  });
});

describe('system paths (issue 17, item 9)', () => {
  const files = [`${WS}/src/index.ts`, `${WS}/self/environ`];
  const ctx = context([ENGINE], files);

  it('a span naming /proc/self/environ is not offered, outside or in, and says why', () => {
    const a = attrs({ 'code.filepath': '/proc/self/environ', 'code.lineno': 1 });
    assert.deepEqual(resolveSpanSource(a, [], ctx), []);
    // Before: ['/proc/self/environ'], which the host offered to open outside the workspace.
    assert.deepEqual(outsideWorkspace(a, [], ctx), []);
    assert.deepEqual(refusedPaths(a, [], ctx), [
      { path: '/proc/self/environ', reason: '/proc holds system pseudo-files, not source' },
    ]);
  });

  it('a mapping cannot bring a system path in', () => {
    const mctx = context([ENGINE], files, { '/proc': '${workspaceFolder}' });
    const a = attrs({ 'code.filepath': '/proc/self/environ' });
    assert.deepEqual(resolveSpanSource(a, [], mctx), []);
    assert.equal(refusedPaths(a, [], mctx).length, 1);
  });

  it('stack frames naming /dev and /sys are refused, the rest resolve', () => {
    const stack = [
      'Error: boom',
      '    at evil (/dev/stdin:1:1)',
      '    at evil2 (/sys/kernel/x.js:1:1)',
      '    at main (/app/src/index.ts:3:1)',
    ].join('\n');
    assert.deepEqual(brief(resolveSpanSource([], [exception(stack)], ctx)), [
      `${WS}/src/index.ts:3:1 exception.stacktrace 792`,
    ]);
    assert.deepEqual(
      refusedPaths([], [exception(stack)], ctx).map((r) => r.path),
      ['/dev/stdin', '/sys/kernel/x.js'],
    );
  });

  it('ordinary refusals (UNC, schemes) are not reported as system paths', () => {
    const a = attrs({ 'code.filepath': '\\\\evil\\share\\x.ts' });
    assert.deepEqual(refusedPaths(a, [], ctx), []);
  });
});
