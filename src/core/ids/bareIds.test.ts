import { strict as assert } from 'node:assert';
import { idAllowed, idsFor, type BareIdMode, type IdSurface } from './bareIds';

const BARE = '4bf92f3577b34da6a3ce929d0e0e4736';
const KEYED = '0af7651916cd43dd8448eb211c80319c';
const LINE = `GET /cart 200 request=${BARE} trace_id=${KEYED}`;

describe('the bare-ID policy (traceLens.detection.bareIds)', () => {
  // Whether a bare ID counts, per surface, under link / hover / off.
  const table: Array<[IdSurface, boolean, boolean, boolean]> = [
    ['hover', true, true, false],
    ['decoration', true, true, false],
    ['debugOutput', true, true, false],
    ['link', true, false, false],
    ['terminalLink', true, false, false],
  ];
  const modes: BareIdMode[] = ['link', 'hover', 'off'];
  for (const [surface, ...bareCounts] of table) {
    modes.forEach((mode, k) => {
      const want = bareCounts[k]!;
      it(`${surface} under ${mode}: bare IDs ${want ? 'count' : 'do not count'}, explicit ones always do`, () => {
        assert.equal(idAllowed({ confidence: 'medium' }, mode, surface), want);
        assert.equal(idAllowed({ confidence: 'high' }, mode, surface), true);
        assert.deepEqual(
          idsFor(LINE, mode, surface).map((id) => id.traceId),
          want ? [BARE, KEYED] : [KEYED],
        );
      });
    });
  }

  it('a terminal link for a bare ID needs `link`; the default (`hover`) leaves it as text', () => {
    assert.deepEqual(idsFor(`echo ${BARE}`, 'hover', 'terminalLink'), []);
    assert.equal(idsFor(`echo ${BARE}`, 'link', 'terminalLink').length, 1);
  });

  it('debug output under `off` gives Recent Traces only explicit IDs', () => {
    const output = `worker done ${BARE}\nspan ended traceparent=00-${KEYED}-00f067aa0ba902b7-01\n`;
    assert.deepEqual(
      idsFor(output, 'off', 'debugOutput').map((id) => [id.traceId, id.spanId]),
      [[KEYED, '00f067aa0ba902b7']],
    );
  });

  it('passes maxLength to the detector', () => {
    assert.deepEqual(
      idsFor(LINE, 'link', 'link', { maxLength: LINE.indexOf('trace_id') }).map((id) => id.traceId),
      [BARE],
    );
  });
});
