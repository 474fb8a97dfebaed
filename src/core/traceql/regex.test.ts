import { strict as assert } from 'node:assert';
import { TraceQLError } from './ast';
import { parse } from './parser';
import { traceqlRegExp, unsafeConstruct } from './regex';

describe('TraceQL regular expressions', () => {
  it('runs RE2 spellings as JavaScript: leading flags and named groups', () => {
    assert.ok(traceqlRegExp('(?i)^get ').test('GET /orders'));
    assert.equal(traceqlRegExp('(?P<verb>GET|POST) ').exec('POST /x')?.groups?.verb, 'POST');
  });

  it('accepts repetition of single items and of groups that neither repeat nor alternate', () => {
    for (const pattern of [
      'a+',
      '[ab]*',
      '.*',
      '^GET /api/.*$',
      '(GET|POST) /orders',
      '(ab)+',
      '(?:ab){2,5}',
      '(a{1})+',
      '[(]+',
      '\\(+',
      '[a-z]+\\.(com|org)$',
      '(?<name>a)+',
      // What CodeLens sends for a function and a file (core/traceql/build.ts).
      '^(?:.*[.:/#\\\\])?DataFetchNode\\.fetch$',
      '^(?:.*[/\\\\])?src[/\\\\]nodes[/\\\\]DataFetchNode\\.ts$',
      '(a+)?b',
      '(a|b)?c',
      '[+*]+',
      '[]+]+',
    ]) {
      assert.equal(unsafeConstruct(pattern), undefined, pattern);
      assert.ok(traceqlRegExp(pattern) instanceof RegExp, pattern);
    }
  });

  it('refuses a repeated group that repeats or alternates: exponential time on a near match', () => {
    for (const pattern of [
      '(a+)+$',
      '(a*)*b',
      '(\\w+\\s?)*$',
      '(a|ab)+c',
      '(?:x[ab]*){2,}',
      '((a+)b)+',
      '(a{2,})+',
      '(\\d+)*',
    ]) {
      assert.match(unsafeConstruct(pattern) ?? '', /exponential time/, pattern);
      assert.throws(() => traceqlRegExp(pattern), /^Error: error parsing regexp: a repeated group/, pattern);
    }
  });

  it('refuses what RE2 (and so Tempo) does not have: backreferences and lookaround', () => {
    for (const [pattern, want] of [
      ['(a)\\1', /backreferences/],
      ['(?<x>a)\\k<x>', /backreferences/],
      ['a(?=b)', /lookahead and lookbehind/],
      ['a(?!b)', /lookahead and lookbehind/],
      ['(?<=a)b', /lookahead and lookbehind/],
      ['(?<!a)b', /lookahead and lookbehind/],
    ] as const) {
      assert.match(unsafeConstruct(pattern) ?? '', want, pattern);
    }
    // An escaped digit inside a class, or an escaped parenthesis, is a literal.
    assert.equal(unsafeConstruct('[\\1]'), undefined);
    assert.equal(unsafeConstruct('\\(?=x'), undefined);
  });

  it('a query with such a pattern is invalid where the pattern starts, as Tempo answers a bad regexp', () => {
    assert.throws(
      () => parse('{ name =~ "(a+)+$" }'),
      (err: unknown) =>
        err instanceof TraceQLError &&
        /^invalid at 11: error parsing regexp: a repeated group that itself repeats/.test(err.message),
    );
  });
});
