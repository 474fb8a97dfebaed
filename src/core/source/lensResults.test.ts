import { strict as assert } from 'node:assert';
import { LensResults } from './lensResults';

/** Two backends as the host holds them: objects with a display name. */
const backend = (name: string) => ({ name });
const QUERY = '{ span.code.function.name = "DataFetchNode.fetch" }';

describe('LensResults (CodeLens answers by backend)', () => {
  it("never gives one backend's answer for another's, even under the same name", () => {
    const results = new LensResults<string>();
    const local = backend('local store');
    const tempo = backend('Tempo 127.0.0.1:3200');
    const otherWindowsStore = backend('local store');
    results.set(local, QUERY, 'p50 4.2 s · 1 span');
    assert.equal(results.get(local, QUERY), 'p50 4.2 s · 1 span');
    assert.equal(results.get(tempo, QUERY), undefined, 'switched to Tempo: nothing from the store');
    assert.equal(results.get(otherWindowsStore, QUERY), undefined, 'another store of the same name');
    results.set(tempo, QUERY, 'p50 3.9 s · 2 spans');
    assert.equal(results.get(local, QUERY), 'p50 4.2 s · 1 span', 'back to the store: its own answer');
    assert.equal(results.get(tempo, QUERY), 'p50 3.9 s · 2 spans');
    assert.notEqual(results.key(local, QUERY), results.key(otherWindowsStore, QUERY));
    assert.equal(results.key(local, QUERY), results.key(local, QUERY));
  });

  it("lists one backend's answers (to make them due again when its data changes)", () => {
    const results = new LensResults<string>();
    const backends = Array.from({ length: 12 }, (_, i) => backend(`b${i}`));
    for (const [i, b] of backends.entries()) results.set(b, `${QUERY} ${i}`, `answer ${i}`);
    results.set(backends[0]!, QUERY, 'answer 0 bis');
    // Backend 1 must not list backend 11's answers (keys start with their number).
    assert.deepEqual([...results.of(backends[1]!)], ['answer 1']);
    assert.deepEqual([...results.of(backends[0]!)], ['answer 0', 'answer 0 bis']);
    assert.deepEqual([...results.of(backend('never asked'))], []);
  });

  it('keys by the query too', () => {
    const results = new LensResults<number>();
    const b = backend('b');
    results.set(b, QUERY, 1);
    assert.equal(results.get(b, `${QUERY} && status = error`), undefined);
  });

  it('keeps the `max` answers stored last, and forgets all on clear', () => {
    const results = new LensResults<number>(2);
    const b = backend('b');
    results.set(b, 'q1', 1);
    results.set(b, 'q2', 2);
    results.set(b, 'q1', 11); // stored again: now the newest
    results.set(b, 'q3', 3);
    assert.deepEqual([...results.values()], [11, 3]);
    assert.equal(results.get(b, 'q2'), undefined);
    results.clear();
    assert.deepEqual([...results.values()], []);
  });
});
