import { strict as assert } from 'node:assert';
import { corpus, type CorpusCase } from './testing/corpus';
import { detectTraceIds } from './detect';

/** Offset of the nth occurrence of `text` in `input`; fails the test if there is none. */
function offsetOf(c: CorpusCase, text: string, nth: number): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = c.input.indexOf(text, at + 1);
    assert.ok(at >= 0, `${c.source}: "${text}" (occurrence ${nth}) is not in the input`);
  }
  return at;
}

describe('detectTraceIds on the corpus', () => {
  for (const c of corpus) {
    it(c.source, () => {
      const want = c.want.map((w) => {
        const start = offsetOf(c, w.text, w.nth ?? 0);
        return {
          traceId: w.traceId,
          spanId: w.spanId ?? null,
          start,
          end: start + w.text.length,
          format: w.format,
          confidence: w.confidence,
        };
      });
      const got = detectTraceIds(c.input).map((d) => ({ ...d, spanId: d.spanId ?? null }));
      assert.deepEqual(got, want);
    });
  }

  it('finds the same IDs when the whole corpus is one text', () => {
    // Offsets shift by each case's position; IDs and formats stay the same.
    const joined = corpus.map((c) => c.input).join('\n');
    const got = detectTraceIds(joined).map((d) => `${d.traceId}/${d.spanId ?? ''}/${d.format}`);
    const want = corpus.flatMap((c) => c.want.map((w) => `${w.traceId}/${w.spanId ?? ''}/${w.format}`));
    assert.deepEqual(got, want);
  });
});
