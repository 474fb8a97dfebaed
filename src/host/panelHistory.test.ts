import assert from 'node:assert/strict';
import { MAX_HISTORY, PanelHistory } from './panelHistory';

const A = '0af7651916cd43dd8448eb211c80319c';
const B = '1af7651916cd43dd8448eb211c80319c';
const C = '2af7651916cd43dd8448eb211c80319c';
const trace = (traceId: string) => ({ kind: 'trace' as const, traceId });

describe('PanelHistory', () => {
  it('back and forward like a browser tab, with the span selected where the person left', () => {
    const h = new PanelHistory({ subject: trace(A) });
    assert.deepEqual(h.state, { back: false, forward: false });
    h.push({ subject: trace(B), spanId: '00000000000000b1' }, '00000000000000a7');
    assert.deepEqual(h.state, { back: true, forward: false });
    assert.equal(h.peek(-1)?.spanId, '00000000000000a7', 'A remembers the span selected when left');
    h.move(-1, '00000000000000b2');
    assert.deepEqual(h.current, { subject: trace(A), spanId: '00000000000000a7' });
    assert.deepEqual(h.state, { back: false, forward: true });
    assert.equal(h.peek(1)?.spanId, '00000000000000b2');
    h.move(-1, undefined); // nothing further back
    assert.deepEqual(h.current.subject, trace(A));
    assert.deepEqual(h.state, { back: false, forward: true });
    // A new place drops the forward entries.
    h.push({ subject: { kind: 'compare', a: { traceId: A }, b: { traceId: C } } }, undefined);
    assert.deepEqual(h.state, { back: true, forward: false });
    assert.equal(h.length, 2);
  });

  it(`keeps the last ${MAX_HISTORY} places`, () => {
    const h = new PanelHistory({ subject: trace(A) });
    for (let k = 0; k < MAX_HISTORY + 10; k++) h.push({ subject: trace(k % 2 ? A : B) }, undefined);
    assert.equal(h.length, MAX_HISTORY);
    assert.deepEqual(h.state, { back: true, forward: false });
  });
});
