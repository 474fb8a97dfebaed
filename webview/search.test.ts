/** The search box's query language and its globs. */
import assert from 'node:assert/strict';
import { compileGlob, matchSpans, parseQuery } from './search';
import { loadTrace } from './trace';
import { CHECKOUT, makeTrace } from './testing/traceBuilder';

describe('webview pure: search', () => {
  const t = loadTrace(makeTrace(CHECKOUT));
  const count = (q: string, service = -1) => matchSpans(t, parseQuery(q), service)?.count;
  it('free text also matches attribute values and event names once the span texts are there; services multi-select', () => {
    // Span texts: span 2 (GET /cart) has "card_declined"; span 7 an event "Retry Scheduled".
    const offsets = new Uint32Array(t.n + 1);
    const refs: number[] = [];
    for (let i = 0; i < t.n; i++) {
      offsets[i] = refs.length;
      if (i === 2) refs.push(0, 1);
      if (i === 7) refs.push(2);
    }
    offsets[t.n] = refs.length;
    const text = {
      strings: ['card_declined', '502', 'Retry Scheduled'],
      offsets,
      refs: Uint32Array.from(refs),
    };
    const withText = (q: string) => matchSpans(t, parseQuery(q), -1, text);
    assert.equal(
      matchSpans(t, parseQuery('declined'), -1)?.count,
      0,
      'without the texts: names and services only',
    );
    assert.deepEqual(
      Array.from(withText('DECLINED')!.mask.keys()).filter((i) => withText('declined')!.mask[i]),
      [2],
    );
    assert.equal(withText('retry declined')?.count, 0, 'all terms must hold');
    assert.equal(withText('"retry sched"')?.count, 1);
    assert.equal(withText('"sched retry"')?.count, 0);
    assert.equal(withText('cart 502')?.count, 1, 'a name term and a text term on the same span');
    const cart = t.services.indexOf('cart');
    const payment = t.services.indexOf('payment');
    assert.equal(matchSpans(t, parseQuery(''), [cart, payment])?.count, 4);
    assert.equal(matchSpans(t, parseQuery(''), [])?.count, undefined);
  });

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
