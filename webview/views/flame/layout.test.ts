/** The flame graph's geometry in plain Node: widths from self time, culling, hit testing. */
import assert from 'node:assert/strict';
import { loadTrace } from '../../trace';
import { indexOf, makeTrace, type SpanSpec } from '../../testing/traceBuilder';
import { cullFrames, frameAt, layoutFlame } from './layout';

// root 100 ms with two parallel children (a: 60 ms, b: 50 ms from 20 ms), a has a 10 ms child.
const SPANS: SpanSpec[] = [
  { id: 'root', name: 'root', service: 's', start: 0, dur: 100 },
  { id: 'a', parent: 'root', name: 'a', service: 's', start: 0, dur: 60 },
  { id: 'a1', parent: 'a', name: 'a1', service: 's', start: 5, dur: 10 },
  { id: 'b', parent: 'root', name: 'b', service: 't', start: 20, dur: 50 },
  { id: 'r2', name: 'second root', service: 's', start: 0, dur: 4 },
];
const wire = makeTrace(SPANS);
const t = loadTrace(wire);
const at = (id: string) => indexOf(wire, id);
const ms = 1e6;

describe('webview flame graph layout', () => {
  it('makes every frame as wide as its subtree’s self time, children left to right in start order', () => {
    const l = layoutFlame(t);
    // root self 30 (100 minus the union 0–70), a self 50, a1 10, b 50, r2 4.
    assert.equal(l.w[at('root')], 140 * ms);
    assert.equal(l.w[at('a')], 60 * ms);
    assert.equal(l.w[at('a1')], 10 * ms);
    assert.equal(l.w[at('b')], 50 * ms);
    assert.deepEqual(
      ['root', 'a', 'a1', 'b', 'r2'].map((id) => l.x[at(id)]! / ms),
      [0, 0, 0, 60, 140],
    );
    assert.equal(l.total, 144 * ms);
    assert.equal(l.maxDepth, 2);
  });

  it('culls frames outside the window or narrower than a pixel, marking the narrow ones as dust', () => {
    const l = layoutFlame(t);
    const all = cullFrames(t, l, { from: 0, to: l.total, width: 144, top: 0, bottom: 5 });
    assert.deepEqual(Array.from(all.frames.subarray(0, all.count)), [0, 1, 2, 3, 4]);
    // 14 px for 144 ms with a 2 px minimum: the 4 ms root (0.4 px) and the 10 ms child (1 px) are dust.
    const narrow = cullFrames(t, l, { from: 0, to: l.total, width: 14, top: 0, bottom: 5 }, 2);
    const drawn = Array.from(narrow.frames.subarray(0, narrow.count));
    assert.deepEqual(drawn, [at('root'), at('a'), at('b')]);
    // r2 lies at 140–144 ms: pixel column 13 of row 0 is dust; a1 at 0–10 ms: column 0 of row 2.
    assert.equal(narrow.dust[0 * 14 + 13], 1);
    assert.equal(narrow.dust[2 * 14 + 0], 1);
    assert.equal(narrow.dust[1 * 14 + 5], 0);
    // Zoomed into b: only its ancestors and itself are in the window.
    const zoomed = cullFrames(t, l, { from: 60 * ms, to: 110 * ms, width: 500, top: 0, bottom: 5 });
    assert.deepEqual(Array.from(zoomed.frames.subarray(0, zoomed.count)), [at('root'), at('b')]);
    // Rows below `bottom` are not visited; rows above `top` are not drawn.
    const band = cullFrames(t, l, { from: 0, to: l.total, width: 1000, top: 1, bottom: 1 });
    assert.deepEqual(Array.from(band.frames.subarray(0, band.count)), [at('a'), at('b')]);
  });

  it('finds the frame under a point', () => {
    const l = layoutFlame(t);
    assert.equal(frameAt(t, l, 0, 5 * ms), at('root'));
    assert.equal(frameAt(t, l, 1, 65 * ms), at('b'));
    assert.equal(frameAt(t, l, 2, 5 * ms), at('a1'));
    assert.equal(frameAt(t, l, 2, 30 * ms), -1, 'a’s own time has nothing below');
    assert.equal(frameAt(t, l, 0, 142 * ms), at('r2'));
    assert.equal(frameAt(t, l, 3, 5 * ms), -1);
  });

  it('lays out a wide trace in one pass (a thousand children stay in order)', () => {
    const spans: SpanSpec[] = [{ id: 'r', name: 'r', service: 's', start: 0, dur: 2000 }];
    for (let k = 0; k < 1000; k++)
      spans.push({ id: `c${k}`, parent: 'r', name: 'c', service: 's', start: k * 2, dur: 1 });
    const big = loadTrace(makeTrace(spans));
    const l = layoutFlame(big);
    for (let i = 2; i < big.n; i++) assert.ok(l.x[i]! > l.x[i - 1]!);
    assert.equal(l.w[0], 2000 * ms);
  });
});
