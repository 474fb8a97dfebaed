import { strict as assert } from 'node:assert';
import { StringPool } from './strings';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('string pool', () => {
  it('gives equal byte runs one ID and different ones their own, however they alternate', () => {
    const pool = new StringPool();
    // Same length, same first and last byte: the pool's guess of the last such string must be
    // checked, not trusted.
    const words = ['abcz', 'axyz', 'abcz', 'a12z', 'axyz', '', 'a', '', 'a12z', 'abcz'];
    const ids = new Map<string, number>();
    for (const w of words) {
      // Each word inside a larger buffer, at an offset, as attribute values sit in a body.
      const buf = bytes(`..${w}..`);
      const id = pool.intern(buf, 2, 2 + w.length);
      const seen = ids.get(w);
      if (seen === undefined) ids.set(w, id);
      else assert.equal(id, seen, `"${w}" got a second ID`);
      assert.equal(pool.get(id), w);
    }
    assert.equal(new Set(ids.values()).size, ids.size);
    assert.equal(pool.size, ids.size);
  });

  it('keeps IDs stable across growth of its hash table', () => {
    const pool = new StringPool();
    const ids = Array.from({ length: 5000 }, (_, i) => pool.internText(`value-${i % 2500}`));
    for (let i = 0; i < 5000; i++) assert.equal(ids[i], ids[i % 2500]);
    for (let i = 0; i < 2500; i++) assert.equal(pool.get(ids[i]!), `value-${i}`);
    assert.equal(pool.lookup('value-17'), ids[17]);
    assert.equal(pool.lookup('value-2500'), -1);
  });
});
