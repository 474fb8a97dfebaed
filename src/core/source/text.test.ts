import { strict as assert } from 'node:assert';
import {
  cleanText,
  formatAgo,
  formatShare,
  lensTitle,
  overlayHintText,
  overlayLineSpan,
  peerHost,
  sourceAnnotationText,
  spanLabel,
  unixNanoToMs,
} from './text';

describe('source texts', () => {
  it('annotates the line Go to Source opened', () => {
    assert.equal(
      sourceAnnotationText({ durationNs: 4.3e9, label: 'node.DataFetchNode', share: 0.834, critical: true }),
      '⏱ 4.3 s · node.DataFetchNode · 83% of trace · critical path',
    );
    assert.equal(
      sourceAnnotationText({ durationNs: 1.2e6, label: 'db.query', share: 0.001, critical: false }),
      '⏱ 1.2 ms · db.query · <1% of trace',
    );
  });

  it('writes overlay hints with the host a client span called', () => {
    const attrs = [{ key: 'server.address', value: 'api.partner.example' }];
    assert.equal(
      overlayHintText({ durationNs: 4.2e9, label: spanLabel('GET', attrs), critical: true }),
      '4.2 s · GET api.partner.example · critical path',
    );
    assert.equal(
      overlayHintText({ durationNs: 8e6, label: 'render', critical: false }, 3),
      '8 ms · render · 3 spans',
    );
  });

  it('lets the span selected in the panel speak for its line, else the slowest', () => {
    const spans = [
      { index: 7, name: 'slow' },
      { index: 3, name: 'fast' },
    ] as const;
    const line: [{ index: number; name: string }, ...{ index: number; name: string }[]] = [...spans];
    assert.deepEqual(overlayLineSpan(line, undefined), { span: spans[0], selected: false });
    assert.deepEqual(overlayLineSpan(line, 3), { span: spans[1], selected: true });
    assert.deepEqual(overlayLineSpan(line, 7), { span: spans[0], selected: true });
    assert.deepEqual(overlayLineSpan(line, 5), { span: spans[0], selected: false }, 'ran elsewhere');
  });

  const hosts: Array<[string, Array<{ key: string; value: string | number }>, string | undefined]> = [
    ['server.address', [{ key: 'server.address', value: 'db.internal' }], 'db.internal'],
    ['url.full', [{ key: 'url.full', value: 'https://api.example.com:8443/v1/x?y=1' }], 'api.example.com'],
    ['old http.url', [{ key: 'http.url', value: 'http://legacy.example/x' }], 'legacy.example'],
    ['not a URL', [{ key: 'url.full', value: 'not a url' }], undefined],
    ['a number', [{ key: 'server.address', value: 42 }], undefined],
    ['nothing', [], undefined],
  ];
  for (const [name, attrs, expected] of hosts) {
    it(`peer host from ${name}`, () => assert.equal(peerHost(attrs), expected));
  }

  it('does not repeat a host the span name already has', () => {
    assert.equal(
      spanLabel('GET api.partner.example/v1', [{ key: 'server.address', value: 'api.partner.example' }]),
      'GET api.partner.example/v1',
    );
    assert.equal(spanLabel(''), '(unnamed span)');
  });

  it('flattens control and bidi characters and cuts long labels', () => {
    assert.equal(cleanText('a\nb\u202ec\u0000d'), 'a b c d');
    const long = cleanText('x'.repeat(500));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith('…'));
  });

  it('formats shares', () => {
    assert.deepEqual([0, -1, NaN, 0.004, 0.006, 0.5, 1, 1.7].map(formatShare), [
      '0%',
      '0%',
      '0%',
      '<1%',
      '1%',
      '50%',
      '100%',
      '100%',
    ]);
  });

  it('titles lenses, with errors only when there are some', () => {
    assert.equal(
      lensTitle({ count: 37, errors: 2, p50Ns: 120e6, p95Ns: 4.2e9 }),
      'p50 120 ms · p95 4.2 s · 37 spans · 2 errors (last 1 h)',
    );
    assert.equal(
      lensTitle({ count: 1, errors: 0, p50Ns: 5e6, p95Ns: 5e6 }),
      'p50 5 ms · p95 5 ms · 1 span (last 1 h)',
    );
    assert.equal(
      lensTitle({ count: 2, errors: 1, p50Ns: NaN, p95Ns: NaN }),
      'p50 – · p95 – · 2 spans · 1 error (last 1 h)',
    );
  });

  it('says how long ago', () => {
    const now = 1_700_000_000_000;
    assert.deepEqual(
      [now, now - 30_000, now - 12 * 60_000, now - 3 * 3600_000, now - 3 * 86400_000, now + 10_000, NaN].map(
        (t) => formatAgo(t, now),
      ),
      ['just now', '30 s ago', '12 min ago', '3 h ago', '3 d ago', 'in the future', ''],
    );
  });

  it('turns Unix nanoseconds into milliseconds without float loss', () => {
    assert.equal(unixNanoToMs('1700000000123456789'), 1700000000123);
    assert.equal(unixNanoToMs('999'), 0);
    assert.ok(Number.isNaN(unixNanoToMs('-1')));
    assert.ok(Number.isNaN(unixNanoToMs('1e9')));
  });
});
