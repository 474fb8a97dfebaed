import { strict as assert } from 'node:assert';
import { parseWebviewMessage } from './protocol';
import { spanIndexById, type TraceColumns } from './model';

describe('parseWebviewMessage', () => {
  const id = '0af7651916cd43dd8448eb211c80319c';
  const cases: Array<[string, unknown, unknown]> = [
    ['ready', { type: 'ready', requestId: 1 }, { type: 'ready', requestId: 1 }],
    ['ready without id', { type: 'ready' }, undefined],
    [
      'detail',
      { type: 'getSpanDetail', requestId: 2, index: 5 },
      { type: 'getSpanDetail', requestId: 2, index: 5 },
    ],
    ['detail with negative index', { type: 'getSpanDetail', requestId: 2, index: -1 }, undefined],
    ['detail with fractional index', { type: 'getSpanDetail', requestId: 2, index: 1.5 }, undefined],
    ['openTrace', { type: 'openTrace', traceId: id }, { type: 'openTrace', traceId: id }],
    [
      'openTrace with span',
      { type: 'openTrace', traceId: id, spanId: 'b7ad6b7169203331' },
      { type: 'openTrace', traceId: id, spanId: 'b7ad6b7169203331' },
    ],
    [
      'openTrace with a URL instead of an id',
      { type: 'openTrace', traceId: 'javascript:alert(1)' },
      undefined,
    ],
    ['openTrace with uppercase id', { type: 'openTrace', traceId: id.toUpperCase() }, undefined],
    ['copy', { type: 'copy', text: 'x' }, { type: 'copy', text: 'x' }],
    ['copy of a huge text', { type: 'copy', text: 'x'.repeat(2 << 20) }, undefined],
    ['copy of a non-string', { type: 'copy', text: { toString: 1 } }, undefined],
    [
      'openStackFrame',
      { type: 'openStackFrame', index: 3, eventIndex: 0, frameIndex: 2, path: '/etc/passwd' },
      { type: 'openStackFrame', index: 3, eventIndex: 0, frameIndex: 2 },
    ],
    ['openStackFrame without a frame', { type: 'openStackFrame', index: 3, eventIndex: 0 }, undefined],
    [
      'openStackFrame with a string index',
      { type: 'openStackFrame', index: 3, eventIndex: '0', frameIndex: 2 },
      undefined,
    ],
    ['unknown type', { type: 'eval', code: '1' }, undefined],
    ['null', null, undefined],
    ['string', 'ready', undefined],
    ['extra keys are dropped', { type: 'refresh', evil: true }, { type: 'refresh' }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(parseWebviewMessage(input), expected));
  }
});

describe('spanIndexById', () => {
  const columns = {
    spanIdWords: new Uint32Array([0xac2b7961, 0xbf24397d, 0x00000000, 0x00000001]),
  } as unknown as TraceColumns;
  it('finds a span by its 16-hex ID, in any case', () => {
    assert.equal(spanIndexById({ columns, spanCount: 2 }, 'ac2b7961bf24397d'), 0);
    assert.equal(spanIndexById({ columns, spanCount: 2 }, 'AC2B7961BF24397D'), 0);
    assert.equal(spanIndexById({ columns, spanCount: 2 }, '0000000000000001'), 1);
  });
  it('is -1 for an unknown or malformed ID', () => {
    assert.equal(spanIndexById({ columns, spanCount: 2 }, 'ffffffffffffffff'), -1);
    assert.equal(spanIndexById({ columns, spanCount: 2 }, 'ac2b7961'), -1);
    assert.equal(spanIndexById({ columns, spanCount: 2 }, 'zz2b7961bf24397d'), -1);
  });
});
