/** Reading the state VS Code hands back: whatever is malformed is dropped, field by field. */
import assert from 'node:assert/strict';
import { readState } from './state';

describe('webview saved state', () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';

  it('keeps what is well formed, with the subject the serializer reopens', () => {
    const s = readState({
      subject: { kind: 'trace', traceId: traceId.toUpperCase() },
      traceId,
      selectSpanId: '00f067aa0ba902b7',
      collapsed: { mode: 'allBut', ids: ['00f067aa0ba902b7', 'nope'] },
      zoom: [1, 2],
      flameRoot: '00f067aa0ba902b7',
      query: 'cart',
      detailWidth: 400,
    });
    assert.deepEqual(s, {
      subject: { kind: 'trace', traceId },
      traceId,
      selectSpanId: '00f067aa0ba902b7',
      collapsed: { mode: 'allBut', ids: ['00f067aa0ba902b7'] },
      zoom: [1, 2],
      flameRoot: '00f067aa0ba902b7',
      query: 'cart',
      detailWidth: 400,
    });
  });

  it('drops a malformed subject, zoom, flame zoom, selection and sizes, and refuses a state without a trace', () => {
    assert.deepEqual(
      readState({
        traceId,
        subject: { kind: 'trace', traceId: 'javascript:1' },
        selectSpanId: '<img>',
        zoom: [5, 'a'],
        flameRoot: '<img>',
        collapsed: 'x',
        detailWidth: NaN,
      }),
      { traceId },
    );
    assert.equal(readState({ query: 'x' }), undefined);
    assert.equal(readState('state'), undefined);
  });
});
