/** The webview's end of the host channel, with a fake `acquireVsCodeApi()`, in plain Node. */
import assert from 'node:assert/strict';
import type { SpanDetail } from '../src/shared/model';
import type { WebviewMessage } from '../src/shared/protocol';
import { HostApi, readSpanText, type HostHandlers } from './hostApi';
import { CHECKOUT, makeDetail, makeTrace } from './testing/traceBuilder';

const wire = makeTrace(CHECKOUT);

function channel() {
  const posted: WebviewMessage[] = [];
  const heard: Array<[keyof HostHandlers, ...unknown[]]> = [];
  const record =
    (name: keyof HostHandlers) =>
    (...args: unknown[]) =>
      heard.push([name, ...args]);
  const host = new HostApi(
    { postMessage: (m) => posted.push(m), getState: () => undefined, setState: () => undefined },
    {
      init: record('init'),
      trace: record('trace'),
      loading: record('loading'),
      error: record('error'),
      selectSpan: record('selectSpan'),
      spanDetail: record('spanDetail'),
      search: record('search'),
    },
  );
  return { host, posted, heard };
}

describe('webview host channel', () => {
  it('takes a search subject and a search, dropping malformed rows; posts a comparison', () => {
    const { host, posted, heard } = channel();
    host.receive({ type: 'init', inReplyTo: 1, subject: { kind: 'search' }, traces: [] });
    const good = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      startMs: 1_700_000_000_000,
      durationMs: 12,
      rootService: 'api',
      rootName: 'GET /',
      spanCount: 3,
      errorCount: null,
      matched: 1,
      spanId: 'NOT-A-SPAN',
    };
    host.receive({
      type: 'search',
      search: {
        query: '{ }',
        rangeLabel: 'Last 1 hour',
        start: 1,
        end: 2,
        backendName: 'Tempo',
        status: 'done',
        limit: 100,
        canCompare: 'yes',
        rows: [
          good,
          { ...good, traceId: '<img src=x>' },
          null,
          { ...good, traceId: '0af7651916cd43dd8448eb211c80319c', spanCount: -4, startMs: 'now' },
        ],
      },
    });
    host.receive({ type: 'search', search: 'nothing' });
    assert.deepEqual(heard[0], [
      'init',
      { kind: 'search' },
      [],
      { history: { back: false, forward: false } },
    ]);
    assert.equal(heard.length, 2, 'a search that is not an object is dropped');
    const search = heard[1]![1] as { rows: Array<Record<string, unknown>>; canCompare: boolean };
    assert.equal(search.canCompare, false, 'only true enables Compare');
    assert.deepEqual(
      search.rows.map((r) => [r.traceId, r.spanId, r.spanCount, r.errorCount, Number.isNaN(r.startMs)]),
      [
        ['4bf92f3577b34da6a3ce929d0e0e4736', undefined, 3, null, false],
        ['0af7651916cd43dd8448eb211c80319c', undefined, null, null, true],
      ],
    );
    host.compareTraces(
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
      { traceId: '0af7651916cd43dd8448eb211c80319c' },
    );
    assert.deepEqual(posted, [
      {
        type: 'compareTraces',
        a: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
        b: { traceId: '0af7651916cd43dd8448eb211c80319c' },
      },
    ]);
  });

  it('says it is ready with a request ID, and posts what the views ask for with the trace handle', () => {
    const { host, posted } = channel();
    host.ready();
    host.goToSource('main', 3);
    host.openStackFrame('b', 1, 0, 2);
    host.openInGrafana('a');
    host.selectionChanged('main', 4);
    host.selectionChanged('main', -1);
    host.openTrace('4bf92f3577b34da6a3ce929d0e0e4736');
    assert.deepEqual(posted, [
      { type: 'ready', requestId: 1 },
      { type: 'goToSource', handle: 'main', index: 3 },
      { type: 'openStackFrame', handle: 'b', index: 1, eventIndex: 0, frameIndex: 2 },
      { type: 'openInGrafana', handle: 'a' },
      { type: 'selectionChanged', handle: 'main', index: 4 },
      { type: 'selectionChanged', handle: 'main', index: null },
      { type: 'openTrace', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' },
    ]);
  });

  it('asks for a detail once, takes only the answer to the latest request, and keeps it per trace', () => {
    const { host, posted, heard } = channel();
    assert.equal(host.detail('main', 2), undefined);
    assert.equal(host.detail('main', 5), undefined);
    assert.deepEqual(posted, [
      { type: 'getSpanDetail', requestId: 1, handle: 'main', index: 2 },
      { type: 'getSpanDetail', requestId: 2, handle: 'main', index: 5 },
    ]);
    const d: SpanDetail = makeDetail(wire, 'pay');
    host.receive({ type: 'spanDetail', inReplyTo: 1, detail: d });
    assert.deepEqual(heard, [], 'the answer to an older request is dropped');
    host.receive({ type: 'spanDetail', inReplyTo: 2, detail: d });
    assert.deepEqual(heard, [['spanDetail', 'main', 5, d]]);
    assert.deepEqual(host.detail('main', 5), d);
    assert.equal(posted.length, 2, 'a cached detail is not asked for again');
    assert.equal(host.detail('b', 5), undefined, 'another trace has its own details');
    host.forget('main');
    assert.equal(host.detail('main', 5), undefined);
  });

  it('makes a detail safe to render', () => {
    const { host, heard } = channel();
    host.detail('main', 0);
    host.receive({
      type: 'spanDetail',
      inReplyTo: 1,
      detail: {
        index: '0',
        spanId: 7,
        attributes: [{ key: 1, value: { nested: true } }, null],
        events: [{ name: 'exception', frames: [{ file: 3, line: -1, userCode: 'yes' }] }],
      },
    });
    const d = heard[0]![3] as SpanDetail;
    assert.equal(d.index, 0);
    assert.equal(d.spanId, '7');
    assert.deepEqual(d.attributes, [{ key: '1', value: '[object Object]' }]);
    assert.deepEqual(d.resource, []);
    assert.deepEqual(d.links, []);
    assert.deepEqual(d.events[0]!.frames, [{ file: '3', userCode: false }]);
  });

  it('reads init, trace, loading, error and selectSpan, and drops junk', () => {
    const { host, heard } = channel();
    const subject = { kind: 'trace', traceId: wire.model.traceId };
    host.receive({ type: 'init', inReplyTo: 1, subject, traces: [{ handle: 'main', trace: wire }] });
    host.receive({
      type: 'init',
      inReplyTo: 2,
      subject,
      traces: [],
      history: { back: true, forward: 'yes' },
      layout: { detailWidth: 420.4, labelWidth: 'wide', detailHeight: -5 },
    });
    host.receive({ type: 'trace', handle: 'main', trace: wire, selectSpanId: 'abc' });
    host.receive({ type: 'loading', handle: 'main', traceId: 'x' });
    host.receive({ type: 'error', message: 'down' });
    host.receive({ type: 'selectSpan', handle: 'main', spanId: '00f067aa0ba902b7' });
    for (const junk of [null, 'init', { type: 'nope' }, { type: 'selectSpan', spanId: 'x' }, { type: 7 }])
      host.receive(junk);
    assert.deepEqual(heard, [
      ['init', subject, [{ handle: 'main', trace: wire }], { history: { back: false, forward: false } }],
      // The panel's history (only a literal true enables a button) and the workspace's pane sizes.
      ['init', subject, [], { history: { back: true, forward: false }, layout: { detailWidth: 420 } }],
      ['trace', { handle: 'main', trace: wire, selectSpanId: 'abc' }],
      ['loading', 'main', 'x'],
      ['error', 'down', undefined],
      ['selectSpan', 'main', '00f067aa0ba902b7'],
    ]);
  });

  it('turns a trace it cannot read into an error page', () => {
    const { host, heard } = channel();
    host.receive({ type: 'trace', handle: 'main', trace: { header: {} } });
    host.receive({ type: 'init', inReplyTo: 1, traces: [{ handle: 'main' }] });
    assert.deepEqual(heard, [
      ['error', 'The host sent a trace this view cannot read.', undefined],
      ['error', 'The host sent a trace this view cannot read.', undefined],
    ]);
  });
});

describe('webview pure: span texts from the host', () => {
  it('keeps well-formed columns and refuses refs or offsets out of range', () => {
    const ok = { strings: ['a', 'b'], offsets: Uint32Array.from([0, 1, 2]), refs: Uint32Array.from([1, 0]) };
    assert.deepEqual(readSpanText(ok), ok);
    assert.equal(readSpanText({ ...ok, refs: Uint32Array.from([2, 0]) }), null);
    assert.equal(readSpanText({ ...ok, offsets: Uint32Array.from([0, 3, 2]) }), null);
    assert.equal(readSpanText({ ...ok, offsets: [0, 1, 2] }), null);
    assert.equal(readSpanText(null), null);
  });
});
