/** The webview's pure modules in plain Node: formatting, the row model, the query language, the palette. */
import assert from 'node:assert/strict';
import { formatDuration, niceTicks, parseDuration } from '../../webview/format';
import { buildPalette, labDistance, rgbToOklab } from '../../webview/palette';
import {
  collapseBelowDepth,
  collapseShorterThan,
  computeSubtreeEnd,
  expandAncestors,
  rowOf,
  selfIntervals,
  visibleRows,
  withAncestors,
} from '../../webview/rowModel';
import { compileGlob, matchSpans, parseQuery } from '../../webview/search';
import { loadTrace } from '../../webview/trace';
import { CHECKOUT, indexOf, makeTrace } from './helpers/fixtures';

describe('webview pure: formatDuration', () => {
  const cases: [number, string][] = [
    [5.2e9, '5.2 s'],
    [4.2e9, '4.2 s'],
    [4e9, '4 s'],
    [850e6, '850 ms'],
    [12.5e6, '12.5 ms'],
    [420e3, '420 µs'],
    [999.7e6, '1 s'],
    [1.23456e9, '1.23 s'],
    [90e9, '1 min 30 s'],
    [7200e9, '2 h'],
    [12, '12 ns'],
    [0, '0 ms'],
    [123456, '123 µs'],
  ];
  for (const [ns, text] of cases) it(`${ns} ns → ${text}`, () => assert.equal(formatDuration(ns), text));
});

describe('webview pure: parseDuration and ticks', () => {
  it('parses units and defaults to ms', () => {
    assert.equal(parseDuration('500ms'), 500e6);
    assert.equal(parseDuration('2s'), 2e9);
    assert.equal(parseDuration('1.5 min'), 90e9);
    assert.equal(parseDuration('300us'), 300e3);
    assert.equal(parseDuration('42'), 42e6);
    assert.equal(parseDuration('fast'), undefined);
  });
  it('picks 1-2-5 steps', () => {
    assert.deepEqual(niceTicks(0, 5.2e9, 6), [0, 1e9, 2e9, 3e9, 4e9, 5e9]);
    assert.deepEqual(niceTicks(2e9, 3e9, 4), [2e9, 2.5e9, 3e9]);
  });
});

describe('webview pure: row model', () => {
  // 0 ─┬ 1 ─┬ 2
  //    │    └ 3
  //    └ 4 ── 5
  // 6
  const depth = Uint16Array.from([0, 1, 2, 2, 1, 2, 0]);
  const parent = Int32Array.from([-1, 0, 1, 1, 0, 4, -1]);
  const childCount = Uint32Array.from([2, 2, 0, 0, 1, 0, 0]);
  const end = computeSubtreeEnd(depth);
  const rows = (collapsed: number[], include?: number[]) => {
    const c = new Uint8Array(7);
    for (const i of collapsed) c[i] = 1;
    const inc = include ? Uint8Array.from({ length: 7 }, (_, i) => (include.includes(i) ? 1 : 0)) : undefined;
    const l = visibleRows(end, c, inc);
    return Array.from(l.rows.subarray(0, l.count));
  };

  it('computes subtree ends from depths', () => assert.deepEqual(Array.from(end), [6, 4, 3, 4, 6, 6, 7]));
  it('lists every span when nothing is collapsed', () => assert.deepEqual(rows([]), [0, 1, 2, 3, 4, 5, 6]));
  it('skips collapsed subtrees', () => {
    assert.deepEqual(rows([1]), [0, 1, 4, 5, 6]);
    assert.deepEqual(rows([0]), [0, 6]);
    assert.deepEqual(rows([1, 4]), [0, 1, 4, 6]);
  });
  it('keeps included spans and skips excluded subtrees', () => {
    const marked = withAncestors(Uint8Array.from([0, 0, 0, 1, 0, 0, 0]), parent);
    assert.deepEqual(Array.from(marked), [1, 1, 0, 1, 0, 0, 0]);
    assert.deepEqual(rows([], [0, 1, 3]), [0, 1, 3]);
  });
  it('finds row positions by binary search', () => {
    const l = visibleRows(end, Uint8Array.from([0, 1, 0, 0, 0, 0, 0]));
    assert.equal(rowOf(l, 4), 2);
    assert.equal(rowOf(l, 2), -1);
  });
  it('collapses by depth and by duration, and expands ancestors', () => {
    const c = new Uint8Array(7);
    collapseBelowDepth(depth, childCount, 1, c);
    assert.deepEqual(Array.from(c), [0, 1, 0, 0, 1, 0, 0]);
    const d = new Uint8Array(7);
    collapseShorterThan(Float64Array.from([100, 5, 1, 1, 50, 1, 1]), childCount, 10, d);
    assert.deepEqual(Array.from(d), [0, 1, 0, 0, 0, 0, 0]);
    const all = Uint8Array.from([1, 1, 0, 0, 1, 0, 0]);
    assert.equal(expandAncestors(parent, all, 3), true);
    assert.deepEqual(Array.from(all), [0, 0, 0, 0, 1, 0, 0]);
  });
  it('handles a million spans quickly', () => {
    const n = 1_000_000;
    const deep = new Uint16Array(n);
    for (let i = 0; i < n; i++) deep[i] = i % 7;
    const t0 = performance.now();
    const e = computeSubtreeEnd(deep);
    const l = visibleRows(e, new Uint8Array(n));
    const ms = performance.now() - t0;
    assert.equal(l.count, n);
    assert.ok(ms < 500, `${ms} ms`);
  });
  it('finds self-time intervals between children', () => {
    const t = makeTrace(CHECKOUT);
    const c = t.model.columns;
    const pay = indexOf(t, 'pay');
    const iv = selfIntervals(pay, c.startNs, c.durationNs, c.depth, computeSubtreeEnd(c.depth), 12);
    const r = iv.map((x) => Math.round(x * 4200));
    assert.deepEqual(r, [0, 100, 1000, 1100, 4100, 4200]);
  });
});

describe('webview pure: search', () => {
  const t = loadTrace(makeTrace(CHECKOUT));
  const count = (q: string, service = -1) => matchSpans(t, parseQuery(q), service)?.count;
  it('matches free text over names and services, case-insensitive', () => {
    assert.equal(count('CART'), 3);
    assert.equal(count('cart redis'), 1);
    assert.equal(count('"GET /cart"'), 1);
  });
  it('filters on fields, status, kind and duration', () => {
    assert.equal(count('status=error'), 2);
    assert.equal(count('status!=error'), 7);
    assert.equal(count('status=unset'), 7);
    assert.equal(count('kind=server'), 9);
    assert.equal(count('service=cart name=GET*'), 1);
    assert.equal(count('>1s'), 3);
    assert.equal(count('duration<=120ms'), 4);
  });
  it('combines with a picked service and reports problems', () => {
    assert.equal(count('', t.services.indexOf('cart')), 3);
    assert.equal(matchSpans(t, parseQuery(''), -1), undefined);
    assert.match(parseQuery('http.method=GET').problems[0]!, /cannot be filtered on/);
    assert.match(parseQuery('status=maybe').problems[0]!, /status can be/);
    assert.match(parseQuery('>soon').problems[0]!, /not a duration/);
  });
});

describe('webview pure: search globs', () => {
  /** What `name=` and `service=` compiled to before: an anchored, case-insensitive `.*` RegExp. */
  const regexGlob = (v: string) =>
    new RegExp(
      `^${v
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    );

  it('answers the patterns that froze the panel (issue 17)', () => {
    // Each took the old `.*` RegExp seconds to minutes: this test would hang on it.
    const long = 'a'.repeat(100_000);
    assert.equal(compileGlob('*a*b*').test(long), false);
    assert.equal(compileGlob('*a*b*').test(long + 'b'), true);
    assert.equal(compileGlob('*a*b*').test('b' + long), false);
    const stars = '*'.repeat(30) + 'x';
    assert.equal(compileGlob(stars).test('a'.repeat(40)), false);
    assert.equal(compileGlob(stars).test('a'.repeat(40) + 'X'), true);
    assert.equal(compileGlob('*' + 'a*'.repeat(30) + 'b').test('a'.repeat(40)), false);
  });
  it('filters a span table with those patterns through the query language', () => {
    const wire = makeTrace([
      { id: 'r', name: 'a'.repeat(100_000), service: 'svc', start: 0, dur: 10 },
      { id: 'c', parent: 'r', name: 'a'.repeat(40), service: 'svc', start: 1, dur: 5 },
      { id: 'd', parent: 'r', name: 'GET ' + 'a'.repeat(39) + 'x', service: 'svc', start: 2, dur: 5 },
    ]);
    const t = loadTrace(wire);
    assert.equal(matchSpans(t, parseQuery('name=*a*b*'), -1)?.count, 0);
    assert.equal(matchSpans(t, parseQuery(`name=${'*'.repeat(30)}x`), -1)?.count, 1);
    assert.equal(matchSpans(t, parseQuery(`name!=${'*'.repeat(30)}x`), -1)?.count, 2);
    assert.equal(matchSpans(t, parseQuery('name=*a*a*'), -1)?.count, 3);
  });
  it('means exactly what the anchored `.*` RegExp meant (differential, 20,000 random cases)', () => {
    // Case folding as RegExp does it without the u flag (ß, ſ, the Kelvin sign), line breaks that
    // `.` does not cross, regex metacharacters that must stay literal, and a surrogate pair.
    const alphabet = [
      'a',
      'A',
      'b',
      'B',
      'ß',
      's',
      'S',
      'ſ',
      'k',
      'K',
      '\u212a',
      '\n',
      '\r',
      '\u2028',
      '.',
      '(',
      '\\',
      '$',
      '😀',
    ];
    let seed = 17;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const word = (max: number, extra: string[]) => {
      let w = '';
      for (let k = rand(max + 1); k > 0; k--)
        w += [...alphabet, ...extra][rand(alphabet.length + extra.length)]!;
      return w;
    };
    let matched = 0;
    for (let k = 0; k < 20_000; k++) {
      const pattern = word(7, ['*', '*', '*']);
      // Half the subjects are the pattern with its stars filled in (and letters re-cased), so
      // matches and near misses both occur often.
      const subject =
        rand(2) === 0
          ? word(12, [])
          : [...pattern]
              .map((ch) => (ch === '*' ? word(3, []) : rand(4) === 0 ? ch.toUpperCase() : ch))
              .join('');
      const want = regexGlob(pattern).test(subject);
      assert.equal(
        compileGlob(pattern).test(subject),
        want,
        `${JSON.stringify(pattern)} on ${JSON.stringify(subject)}`,
      );
      if (want) matched++;
    }
    assert.ok(matched > 4000, `only ${matched} cases matched: the generator does not exercise matches`);
  });
  it('keeps the edge cases of the old patterns', () => {
    const cases: [string, string, boolean][] = [
      ['', '', true],
      ['', 'a', false],
      ['*', '', true],
      ['*', 'anything', true],
      ['*', 'two\nlines', false],
      ['a*', 'a\nb', false],
      ['a\n*', 'a\nb', true],
      ['GET*', 'get /cart', true],
      ['*cart', 'GET /cart', true],
      ['a*a', 'a', false],
      ['a*a', 'aa', true],
      ['ab*bc', 'abc', false],
      ['ab*bc', 'abbc', true],
      ['a.b', 'axb', false],
      ['a.b', 'A.B', true],
      ['(*)', '(x)', true],
      ['ſ', 'S', false],
      ['\u212a', 'k', false],
    ];
    for (const [p, s, want] of cases) {
      assert.equal(regexGlob(p).test(s), want, `RegExp: ${JSON.stringify(p)} on ${JSON.stringify(s)}`);
      assert.equal(compileGlob(p).test(s), want, `${JSON.stringify(p)} on ${JSON.stringify(s)}`);
    }
  });
});

describe('webview pure: palette', () => {
  it('keeps twelve colours apart even when two theme colours are close', () => {
    // Light Modern: orange #d18616 and yellow #bf8803 are close.
    const light = buildPalette(
      [
        [26, 133, 255],
        [209, 134, 22],
        [56, 138, 52],
        [101, 45, 144],
        [191, 136, 3],
      ],
      [229, 20, 0],
      [255, 255, 255],
    );
    assert.equal(light.length, 12);
    const labs = light.map(rgbToOklab);
    for (let i = 0; i < labs.length; i++)
      for (let j = i + 1; j < labs.length; j++)
        assert.ok(labDistance(labs[i]!, labs[j]!) > 0.09, `${light[i]} vs ${light[j]}`);
    for (const l of labs)
      assert.ok(labDistance(l, rgbToOklab([229, 20, 0])) >= 0.13, 'away from the error red');
  });
});
