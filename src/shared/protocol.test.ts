import { strict as assert } from 'node:assert';
import {
  parsePanelSubject,
  parseWebviewMessage,
  parseWebviewSubject,
  subjectKey,
  subjectTraces,
  type PanelSubject,
  type WebviewMessage,
} from './protocol';
import { spanIndexById, type TraceColumns } from './model';

describe('parseWebviewMessage', () => {
  const id = '0af7651916cd43dd8448eb211c80319c';
  const cases: Array<[string, unknown, unknown]> = [
    ['ready', { type: 'ready', requestId: 1 }, { type: 'ready', requestId: 1 }],
    ['ready without id', { type: 'ready' }, undefined],
    [
      'detail',
      { type: 'getSpanDetail', requestId: 2, handle: 'main', index: 5 },
      { type: 'getSpanDetail', requestId: 2, handle: 'main', index: 5 },
    ],
    ['detail without a handle', { type: 'getSpanDetail', requestId: 2, index: 5 }, undefined],
    [
      'detail with negative index',
      { type: 'getSpanDetail', requestId: 2, handle: 'main', index: -1 },
      undefined,
    ],
    [
      'detail with fractional index',
      { type: 'getSpanDetail', requestId: 2, handle: 'main', index: 1.5 },
      undefined,
    ],
    [
      'detail with a handle that is not a name',
      { type: 'getSpanDetail', requestId: 2, handle: '../a', index: 1 },
      undefined,
    ],
    ['openTrace', { type: 'openTrace', traceId: id }, { type: 'openTrace', traceId: id }],
    [
      'compareTraces',
      { type: 'compareTraces', a: { traceId: id }, b: { traceId: id.toUpperCase(), backend: 'prod', x: 1 } },
      { type: 'compareTraces', a: { traceId: id }, b: { traceId: id, backend: 'prod' } },
    ],
    ['compareTraces with one trace', { type: 'compareTraces', a: { traceId: id } }, undefined],
    [
      'compareTraces with a bad ID',
      { type: 'compareTraces', a: { traceId: id }, b: { traceId: 'abc' } },
      undefined,
    ],
    [
      'compareTraces with a backend name carrying a newline',
      { type: 'compareTraces', a: { traceId: id }, b: { traceId: id, backend: 'a\nb' } },
      undefined,
    ],
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
      { type: 'openStackFrame', handle: 'main', index: 3, eventIndex: 0, frameIndex: 2, path: '/etc/passwd' },
      { type: 'openStackFrame', handle: 'main', index: 3, eventIndex: 0, frameIndex: 2 },
    ],
    [
      'openStackFrame without a frame',
      { type: 'openStackFrame', handle: 'main', index: 3, eventIndex: 0 },
      undefined,
    ],
    [
      'openStackFrame with a string index',
      { type: 'openStackFrame', handle: 'main', index: 3, eventIndex: '0', frameIndex: 2 },
      undefined,
    ],
    [
      'goToSource',
      { type: 'goToSource', handle: 'a', index: 0 },
      { type: 'goToSource', handle: 'a', index: 0 },
    ],
    ['openInGrafana', { type: 'openInGrafana', handle: 'b' }, { type: 'openInGrafana', handle: 'b' }],
    ['openInGrafana without a handle', { type: 'openInGrafana' }, undefined],
    [
      'selectionChanged',
      { type: 'selectionChanged', handle: 'main', index: 4 },
      { type: 'selectionChanged', handle: 'main', index: 4 },
    ],
    [
      'selectionChanged to nothing',
      { type: 'selectionChanged', handle: 'main', index: null },
      { type: 'selectionChanged', handle: 'main', index: null },
    ],
    ['selectionChanged without an index', { type: 'selectionChanged', handle: 'main' }, undefined],
    ['unknown type', { type: 'eval', code: '1' }, undefined],
    ['null', null, undefined],
    ['string', 'ready', undefined],
    ['extra keys are dropped', { type: 'refresh', evil: true }, { type: 'refresh' }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(parseWebviewMessage(input), expected));
  }
});

describe('parseWebviewMessage under fuzzing', () => {
  const id = '0af7651916cd43dd8448eb211c80319c';
  /** One valid message per type: a type added to the protocol without an entry here does not compile. */
  const valid: { [K in WebviewMessage['type']]: Extract<WebviewMessage, { type: K }> } = {
    ready: { type: 'ready', requestId: 1 },
    getSpanDetail: { type: 'getSpanDetail', requestId: 7, handle: 'main', index: 3 },
    openTrace: { type: 'openTrace', traceId: id, spanId: 'b7ad6b7169203331' },
    goToSource: { type: 'goToSource', handle: 'a', index: 2 },
    openStackFrame: { type: 'openStackFrame', handle: 'b', index: 1, eventIndex: 0, frameIndex: 4 },
    copy: { type: 'copy', text: 'b7ad6b7169203331' },
    openInGrafana: { type: 'openInGrafana', handle: 'main' },
    refresh: { type: 'refresh' },
    selectionChanged: { type: 'selectionChanged', handle: 'main', index: null },
    saveTrace: { type: 'saveTrace', handle: 'main' },
    getSpanText: { type: 'getSpanText', requestId: 4, handle: 'main' },
    saveLayout: { type: 'saveLayout', layout: { detailWidth: 380, labelWidth: 300 } },
    navigate: { type: 'navigate', subject: { kind: 'trace', traceId: id }, spanId: 'b7ad6b7169203331' },
    history: { type: 'history', delta: -1 },
    compareWith: { type: 'compareWith', handle: 'main' },
    getSpanLogs: { type: 'getSpanLogs', requestId: 9, handle: 'b', index: 0 },
    openLogLine: { type: 'openLogLine', id: 12 },
    openBackendSetting: { type: 'openBackendSetting' },
    testConnection: { type: 'testConnection' },
    compareTraces: {
      type: 'compareTraces',
      a: { traceId: id },
      b: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', backend: 'prod' },
    },
  };

  /** What each field may hold, written apart from the parser so the two check each other. */
  type FieldRule = (v: unknown) => boolean;
  const index: FieldRule = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
  const handle: FieldRule = (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(v);
  const traceRef: FieldRule = (v) => {
    if (typeof v !== 'object' || v === null) return false;
    const r = v as Record<string, unknown>;
    const keys = Object.keys(r);
    return (
      keys.every((k) => k === 'traceId' || k === 'backend') &&
      typeof r.traceId === 'string' &&
      /^[0-9a-f]{32}$/.test(r.traceId) &&
      (!('backend' in r) ||
        (typeof r.backend === 'string' && r.backend.length > 0 && r.backend.length <= 200))
    );
  };
  const shapes: Record<WebviewMessage['type'], Record<string, { rule: FieldRule; optional?: boolean }>> = {
    ready: { requestId: { rule: index } },
    getSpanDetail: { requestId: { rule: index }, handle: { rule: handle }, index: { rule: index } },
    openTrace: {
      traceId: { rule: (v) => typeof v === 'string' && /^[0-9a-f]{32}$/.test(v) },
      spanId: { rule: (v) => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v), optional: true },
    },
    goToSource: { handle: { rule: handle }, index: { rule: index } },
    openStackFrame: {
      handle: { rule: handle },
      index: { rule: index },
      eventIndex: { rule: index },
      frameIndex: { rule: index },
    },
    copy: { text: { rule: (v) => typeof v === 'string' && v.length <= 1 << 20 } },
    openInGrafana: { handle: { rule: handle } },
    refresh: {},
    selectionChanged: { handle: { rule: handle }, index: { rule: (v) => v === null || index(v) } },
    saveTrace: { handle: { rule: handle } },
    getSpanText: { requestId: { rule: index }, handle: { rule: handle } },
    saveLayout: {
      layout: {
        rule: (v) =>
          typeof v === 'object' &&
          v !== null &&
          Object.entries(v).every(
            ([k, x]) =>
              ['detailWidth', 'detailHeight', 'labelWidth'].includes(k) &&
              Number.isInteger(x) &&
              (x as number) >= 0 &&
              (x as number) <= 10000,
          ),
      },
    },
    navigate: {
      subject: {
        rule: (v) => {
          const o = v as Record<string, unknown> | null;
          if (typeof o !== 'object' || o === null) return false;
          const ref = (r: unknown) =>
            typeof r === 'object' &&
            r !== null &&
            /^[0-9a-f]{32}$/.test(String((r as { traceId?: unknown }).traceId));
          return o.kind === 'trace' ? ref(o) : o.kind === 'compare' && ref(o.a) && ref(o.b);
        },
      },
      spanId: { rule: (v) => typeof v === 'string' && /^[0-9a-f]{16}$/.test(v), optional: true },
    },
    history: { delta: { rule: (v) => v === -1 || v === 1 } },
    compareWith: { handle: { rule: handle } },
    getSpanLogs: { requestId: { rule: index }, handle: { rule: handle }, index: { rule: index } },
    openLogLine: { id: { rule: index } },
    openBackendSetting: {},
    testConnection: {},
    compareTraces: { a: { rule: (v) => traceRef(v) }, b: { rule: (v) => traceRef(v) } },
  };

  /** True when `m` has exactly the fields its type allows, each of the right kind. */
  function wellFormed(m: Record<string, unknown>): boolean {
    const shape = shapes[m.type as WebviewMessage['type']];
    if (!shape) return false;
    for (const key of Object.keys(m)) if (key !== 'type' && !(key in shape)) return false;
    for (const [key, { rule, optional }] of Object.entries(shape)) {
      if (!(key in m)) {
        if (!optional) return false;
      } else if (!rule(m[key])) return false;
    }
    return true;
  }

  let seed = 1;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const hostile: unknown[] = [
    -1,
    0.5,
    NaN,
    Infinity,
    2 ** 31,
    2 ** 53,
    '3',
    '',
    'main',
    'x'.repeat(33),
    '../../etc',
    'a b',
    id.toUpperCase(),
    id + '0',
    'b7ad6b716920333',
    'javascript:alert(1)',
    'x'.repeat((1 << 20) + 1),
    null,
    undefined,
    true,
    [],
    [1],
    {},
    { toString: () => 'main' },
    { valueOf: () => 3 },
    Object.create(null),
  ];
  const extraKeys = ['__proto__', 'constructor', 'path', 'command', 'evil', 'then'];

  it('accepts every valid message as it is', () => {
    for (const m of Object.values(valid)) {
      assert.deepEqual(parseWebviewMessage(m), m);
      assert.ok(wellFormed(m as unknown as Record<string, unknown>), m.type);
    }
  });

  it('never lets a mutated message through malformed, and never returns the object it was given (50,000 cases)', () => {
    const examples = Object.values(valid) as unknown as Record<string, unknown>[];
    let accepted = 0;
    let rejected = 0;
    for (let k = 0; k < 50_000; k++) {
      const m: Record<string, unknown> = { ...examples[rand(examples.length)]! };
      for (let mutations = 1 + rand(3); mutations > 0; mutations--) {
        const keys = Object.keys(m);
        switch (rand(4)) {
          case 0:
            delete m[keys[rand(keys.length)]!];
            break;
          case 1:
            m[keys[rand(keys.length)]!] = hostile[rand(hostile.length)];
            break;
          case 2:
            m[extraKeys[rand(extraKeys.length)]!] = hostile[rand(hostile.length)];
            break;
          default:
            // The type of another message: fields that belong elsewhere.
            m.type = examples[rand(examples.length)]!.type;
        }
      }
      const out = parseWebviewMessage(m);
      if (out === undefined) {
        rejected++;
        continue;
      }
      accepted++;
      assert.notEqual(out, m);
      assert.ok(wellFormed(out as unknown as Record<string, unknown>), JSON.stringify(out));
    }
    // The generator must reach both outcomes, or the test proves nothing.
    assert.ok(accepted > 2000 && rejected > 2000, `${accepted} accepted, ${rejected} rejected`);
  });

  it('rejects whatever is not a message object', () => {
    for (const [k, v] of hostile.entries())
      assert.equal(parseWebviewMessage(v), undefined, `hostile value ${k}`);
    assert.equal(parseWebviewMessage({ type: { toString: () => 'ready' }, requestId: 1 }), undefined);
  });
});

describe('webview subjects', () => {
  it('reads a search subject, and panel subjects as parsePanelSubject does', () => {
    assert.deepEqual(parseWebviewSubject({ kind: 'search', query: 'x' }), { kind: 'search' });
    const id = '0af7651916cd43dd8448eb211c80319c';
    assert.deepEqual(parseWebviewSubject({ kind: 'trace', traceId: id }), { kind: 'trace', traceId: id });
    assert.equal(parseWebviewSubject({ kind: 'searches' }), undefined);
    assert.equal(parseWebviewSubject(null), undefined);
    // A trace panel's saved state never names a search: the trace serializer reads only those.
    assert.equal(parsePanelSubject({ kind: 'search' }), undefined);
  });
});

describe('panel subjects', () => {
  const a = '0af7651916cd43dd8448eb211c80319c';
  const b = '4bf92f3577b34da6a3ce929d0e0e4736';

  it('names the traces of a subject by handle, the primary first', () => {
    assert.deepEqual(subjectTraces({ kind: 'trace', traceId: a }), [{ handle: 'main', ref: { traceId: a } }]);
    assert.deepEqual(
      subjectTraces({ kind: 'compare', a: { traceId: a }, b: { traceId: b, backend: 'prod' } }),
      [
        { handle: 'a', ref: { traceId: a } },
        { handle: 'b', ref: { traceId: b, backend: 'prod' } },
      ],
    );
  });

  it('keys equal subjects alike and different ones apart', () => {
    const key = (s: PanelSubject) => subjectKey(s);
    assert.equal(key({ kind: 'trace', traceId: a }), key({ kind: 'trace', traceId: a }));
    assert.notEqual(key({ kind: 'trace', traceId: a }), key({ kind: 'trace', traceId: b }));
    assert.notEqual(key({ kind: 'trace', traceId: a }), key({ kind: 'trace', traceId: a, backend: 'x' }));
    assert.notEqual(
      key({ kind: 'compare', a: { traceId: a }, b: { traceId: b } }),
      key({ kind: 'compare', a: { traceId: b }, b: { traceId: a } }),
    );
    // A backend name cannot be made to look like another subject's fields.
    assert.notEqual(
      key({ kind: 'trace', traceId: a, backend: `x","${b}` }),
      key({ kind: 'trace', traceId: b, backend: 'x' }),
    );
  });

  it('reads subjects from saved state, lower-casing IDs and dropping unknown fields', () => {
    assert.deepEqual(parsePanelSubject({ kind: 'trace', traceId: a.toUpperCase(), extra: 1 }), {
      kind: 'trace',
      traceId: a,
    });
    assert.deepEqual(
      parsePanelSubject({ kind: 'compare', a: { traceId: a }, b: { traceId: b, backend: 'Tempo prod' } }),
      { kind: 'compare', a: { traceId: a }, b: { traceId: b, backend: 'Tempo prod' } },
    );
  });

  const bad: Array<[string, unknown]> = [
    ['nothing', undefined],
    ['a string', a],
    ['an unknown kind', { kind: 'search', traceId: a }],
    ['a short ID', { kind: 'trace', traceId: a.slice(1) }],
    ['a URL', { kind: 'trace', traceId: 'https://example.com/' }],
    ['a backend that is not a string', { kind: 'trace', traceId: a, backend: 3 }],
    ['an empty backend', { kind: 'trace', traceId: a, backend: '' }],
    ['a backend with a line break', { kind: 'trace', traceId: a, backend: 'a\nb' }],
    ['a huge backend name', { kind: 'trace', traceId: a, backend: 'x'.repeat(201) }],
    ['a comparison missing a side', { kind: 'compare', a: { traceId: a } }],
    ['a comparison with a bad side', { kind: 'compare', a: { traceId: a }, b: { traceId: 'x' } }],
  ];
  for (const [name, raw] of bad) it(`refuses ${name}`, () => assert.equal(parsePanelSubject(raw), undefined));
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
