import { strict as assert } from 'node:assert';
import type { Attribute, AttributeValue, SpanEvent } from '../../shared/model';
import { FileIndex } from './fileIndex';
import {
  DESCRIPTION_MAX,
  DETAIL_MAX,
  pickText,
  shortenMiddle,
  sourcePickTexts,
  symbolPickTexts,
} from './pickItems';
import { resolveSpanSource, type ResolveContext, type SourceCandidate } from './resolve';

const attrs = (o: Record<string, AttributeValue>): Attribute[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

const WS = '/home/dev/projects/acme-platform/services/workflow-engine';
const SMTP = `${WS}/demo/src/clients/notifications/transports/SmtpClient.ts`;
/** A deployed copy's path, as long as CI runners and containers make them. */
const DEPLOYED = '/tmp/trace-lens-e2e-W5JJ2p/deployed/app';

function ctx(pathMappings: Record<string, string> = {}): ResolveContext {
  return {
    folders: [{ name: 'workflow-engine', path: WS }],
    pathMappings,
    fileIndex: new FileIndex([SMTP, `${WS}/demo/src/nodes/NotifyNode.ts`]),
  };
}

const rel = (path: string): string => path.slice(WS.length + 1);

/** The candidates for a span naming the deployed SmtpClient.ts, with a thrown exception's frames. */
function smtpCandidates(pathMappings: Record<string, string> = {}): SourceCandidate[] {
  const file = `${DEPLOYED}/demo/src/clients/notifications/transports/SmtpClient.ts`;
  const exception: SpanEvent = {
    name: 'exception',
    timeNs: 1,
    attributes: attrs({
      'exception.stacktrace': [
        'Error: SMTP 451',
        `    at SmtpClient.send (${file}:88:11)`,
        `    at NotifyNode.run (${DEPLOYED}/demo/src/nodes/NotifyNode.ts:20:5)`,
      ].join('\n'),
    }),
  };
  return resolveSpanSource(
    attrs({ 'code.file.path': file, 'code.line.number': 66, 'code.column.number': 3 }),
    [exception],
    ctx(pathMappings),
  );
}

describe('Go to Source picker items', () => {
  it('a mapped place: base name and line as label, folder and attribute beside it, the mapping whole on its own line', () => {
    const c = smtpCandidates({ [DEPLOYED]: '${workspaceFolder}' })[0]!;
    const t = sourcePickTexts(c, rel(c.path));
    assert.equal(t.label, '$(file-code) SmtpClient.ts:66');
    assert.ok(t.description.length <= DESCRIPTION_MAX, t.description);
    assert.match(t.description, / · code\.file\.path$/);
    assert.ok(t.description.startsWith('demo/'), t.description);
    assert.ok(t.detail.length <= DETAIL_MAX, `${t.detail.length}: ${t.detail}`);
    // The mapping decided: the person's own setting, whole, first.
    assert.ok(t.detail.startsWith(`mapped by ${DEPLOYED} → \${workspaceFolder}`), t.detail);
  });

  it('a place matched by suffix: the suffix whole first, then the written path cut in the middle with its file and line kept', () => {
    const [first, frame, caller] = smtpCandidates();
    for (const c of [first!, frame!]) {
      const t = sourcePickTexts(c, rel(c.path));
      assert.equal(t.label, `$(file-code) SmtpClient.ts:${c.line}`);
      assert.ok(t.detail.length <= DETAIL_MAX, `${t.detail.length}: ${t.detail}`);
      // The suffix is as long as the line: the path as written has no room left.
      assert.equal(
        t.detail,
        'matched by path suffix demo/src/clients/notifications/transports/SmtpClient.ts',
      );
    }
    assert.match(sourcePickTexts(first!, rel(first!.path)).description, / · code\.file\.path$/);
    assert.match(sourcePickTexts(frame!, rel(frame!.path)).description, / · exception\.stacktrace frame 1$/);
    const t = sourcePickTexts(caller!, rel(caller!.path));
    assert.equal(t.label, '$(file-code) NotifyNode.ts:20');
    assert.equal(t.description, 'demo/src/nodes · exception.stacktrace frame 2');
    assert.match(
      t.detail,
      /^matched by path suffix demo\/src\/nodes\/NotifyNode\.ts · from \/(tmp\/)?…\/(.*\/)?NotifyNode\.ts:20:5$/,
    );
    assert.ok(t.detail.length <= DETAIL_MAX, t.detail);
  });

  it('a mapping longer than the line: its paths are cut in the middle, both ends kept', () => {
    const from = `/srv/${'very-long-directory-name/'.repeat(6)}app`;
    const c = resolveSpanSource(
      attrs({ 'code.file.path': `${from}/demo/src/nodes/NotifyNode.ts`, 'code.line.number': 20 }),
      [],
      ctx({ [from]: '${workspaceFolder}' }),
    )[0]!;
    const t = sourcePickTexts(c, rel(c.path));
    assert.ok(t.detail.length <= DETAIL_MAX, `${t.detail.length}: ${t.detail}`);
    assert.match(t.detail, /^mapped by \/srv\/.*…\/.*\/app → \$\{workspaceFolder\}/);
    assert.equal(t.label, '$(file-code) NotifyNode.ts:20');
  });

  it('library code, a deep folder and no line number still fit and say so', () => {
    const c: SourceCandidate = {
      path: `${WS}/node_modules/@acme/very-long-package-name/dist/internal/transports/smtp/index.js`,
      line: 1,
      reason: 'x',
      why: {
        via: 'exception.stacktrace (event 2) frame 12',
        written: '/app/node_modules/@acme/very-long-package-name/dist/internal/transports/smtp/index.js',
        mapping: { kind: 'mapped', from: '/app', to: '${workspaceFolder}', indexed: true },
        noLine: true,
      },
      origin: 'exception.stacktrace',
      score: 1,
      userCode: false,
    };
    const t = sourcePickTexts(c, rel(c.path));
    assert.equal(t.label, '$(file-code) index.js:1');
    assert.match(
      t.description,
      /^(node_modules\/)?…\/smtp · exception\.stacktrace \(event 2\) frame 12 · library$/,
    );
    assert.ok(t.description.length <= DESCRIPTION_MAX + ' · library'.length, t.description);
    assert.match(
      t.detail,
      /^mapped by \/app → \$\{workspaceFolder\} · no line number · from \/app\/…\/.*smtp\/index\.js$/,
    );
    assert.ok(t.detail.length <= DETAIL_MAX, t.detail);
  });

  it('trace text stays text: no icon syntax, no line breaks', () => {
    const c: SourceCandidate = {
      path: `${WS}/src/$(alert)x.ts`,
      line: 3,
      reason: 'x',
      why: {
        via: 'code.file.path',
        written: '/app/src/$(alert)x.ts\n:3',
        mapping: { kind: 'suffix', suffix: 'src/$(alert)x.ts', segments: 2, folder: 'w' },
      },
      origin: 'code-attributes',
      score: 1,
      userCode: true,
    };
    const t = sourcePickTexts(c, 'src/$(alert)x.ts');
    assert.equal(t.label, '$(file-code) $\u200b(alert)x.ts:3');
    for (const s of [t.description, t.detail]) {
      assert.ok(!s.includes('$('), s);
      assert.ok(!/[\n\r]/.test(s), s);
    }
    assert.equal(pickText('a $(x)\u202eb'), 'a $\u200b(x) b');
  });

  it('a symbol search names the file that did not resolve, shortened to fit', () => {
    const c = resolveSpanSource(
      attrs({
        'code.function.name': 'SmtpClient.send',
        'code.file.path': `${DEPLOYED}/elsewhere/not/in/the/workspace/at/all/SmtpClient.ts`,
      }),
      [],
      ctx(),
    ).find((x) => x.origin === 'symbol')!;
    const t = symbolPickTexts(c);
    assert.equal(t.label, '$(symbol-method) Search workspace symbols for SmtpClient.send');
    assert.ok(t.detail.length <= DETAIL_MAX, t.detail);
    assert.match(t.detail, /^code\.file\.path \/tmp\/…\/.*SmtpClient\.ts is not in the workspace$/);
  });
});

describe('shortenMiddle', () => {
  const table: Array<[string, number, string]> = [
    ['/a/b/c.ts', 20, '/a/b/c.ts'],
    [
      '/tmp/trace-lens-e2e-W5JJ2p/deployed/app/src/clients/SmtpClient.ts:66:3',
      40,
      '/tmp/…/src/clients/SmtpClient.ts:66:3',
    ],
    [
      '/tmp/trace-lens-e2e-W5JJ2p/deployed/app/src/clients/SmtpClient.ts:66:3',
      25,
      '/tmp/…/SmtpClient.ts:66:3',
    ],
    ['/tmp/trace-lens-e2e-W5JJ2p/deployed/app/src/clients/SmtpClient.ts:66:3', 24, '/…/SmtpClient.ts:66:3'],
    ['tmp/x/SmtpClient.ts:66:3', 21, '…/SmtpClient.ts:66:3'],
    ['demo/src/clients/notifications/transports', 30, 'demo/…/transports'],
    ['C:\\work\\app\\src\\deep\\er\\file.ts', 24, 'C:\\…\\src\\deep\\er\\file.ts'],
    ['averyveryverylongnamewithoutseparators', 11, 'avery…ators'],
  ];
  for (const [text, max, want] of table) {
    it(`${text} in ${max}`, () => {
      const got = shortenMiddle(text, max);
      assert.equal(got, want);
      assert.ok(got.length <= max, `${got.length} <= ${max}`);
    });
  }
});
