import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTrace } from '../decode';
import { TEMPO_FIXTURES } from '../decode/testing/testSupport';
import { buildSpanText, MAX_TEXT } from './spanText';

/** The texts of span `i`. */
function textsOf(t: ReturnType<typeof buildSpanText>, i: number): string[] {
  return Array.from(t.refs.subarray(t.offsets[i]!, t.offsets[i + 1]!), (r) => t.strings[r]!);
}

describe('spanText: the searchable texts of spans in columns', () => {
  it('holds attribute values, event names and their attribute values, status messages; each string once', () => {
    const detail = (i: number) => ({
      index: i,
      spanId: '0000000000000001',
      attributes: [
        { key: 'http.route', value: '/checkout' },
        { key: 'http.status_code', value: 502 },
        { key: 'retry', value: true },
        { key: 'none', value: null },
        { key: 'dup', value: '/checkout' },
      ],
      resource: [{ key: 'service.name', value: 'cart' }],
      scope: { name: 'x', attributes: [] },
      events:
        i === 1
          ? [{ name: 'cache miss', timeNs: 5, attributes: [{ key: 'k', value: 'card declined' }] }]
          : [],
      links: [],
      ...(i === 1 ? { statusMessage: 'upstream failed' } : {}),
    });
    const t = buildSpanText({ model: { spanCount: 3 }, detail: (i) => (i === 2 ? undefined : detail(i)) });
    assert.deepEqual(textsOf(t, 0), ['/checkout', '502', 'true']);
    assert.deepEqual(textsOf(t, 1), [
      '/checkout',
      '502',
      'true',
      'cache miss',
      'card declined',
      'upstream failed',
    ]);
    assert.deepEqual(textsOf(t, 2), []);
    assert.equal(t.strings.filter((s) => s === '/checkout').length, 1, 'interned');
    assert.equal(t.offsets.length, 4);
  });

  it('cuts very long values', () => {
    const t = buildSpanText({
      model: { spanCount: 1 },
      detail: () => ({
        index: 0,
        spanId: '0000000000000001',
        attributes: [{ key: 'big', value: 'x'.repeat(MAX_TEXT * 3) }],
        resource: [],
        scope: { name: '', attributes: [] },
        events: [],
        links: [],
      }),
    });
    assert.equal(t.strings[0]!.length, MAX_TEXT);
  });

  it('reads a recorded 2,001-span trace', () => {
    const d = decodeTrace(
      new Uint8Array(readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.json'))),
    );
    const t = buildSpanText(d);
    assert.equal(t.offsets.length, d.model.spanCount + 1);
    assert.ok(t.refs.length > 0);
    for (let i = 0; i < d.model.spanCount; i++) assert.ok(t.offsets[i]! <= t.offsets[i + 1]!);
  });
});
