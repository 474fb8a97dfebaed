import { strict as assert } from 'node:assert';
import { TraceQLError, fieldsOf, type Query } from './ast';
import { renderQuery } from './build';
import { checkSupported, parse } from './parser';

describe('TraceQL parser', () => {
  // What a query parses to, rendered back to text: grouping shows in the parentheses.
  const accepted: Array<[string, string]> = [
    ['{ name = "GET" }', '{ name = "GET" }'],
    ['{}', '{ }'],
    ['{ true }', '{ }'],
    ['{ false }', '{ false }'],
    [
      '{ resource.service.name="api"&&duration>500ms }',
      '{ resource.service.name = "api" && duration > 500ms }',
    ],
    ['{ .service.name = "a" || span.x != 3 }', '{ .service.name = "a" || span.x != 3 }'],
    [
      '{ span.http.url =~ "^/api" && span.http.url !~ `health` }',
      '{ span.http.url =~ "^/api" && span.http.url !~ "health" }',
    ],
    [
      '{ duration >= 1.5s && duration <= 2s && duration < 1h30m && duration > 100 }',
      '{ duration >= 1500ms && duration <= 2s && duration < 90m && duration > 100 }',
    ],
    ['{ status = error && kind = server }', '{ status = error && kind = server }'],
    [
      '{ status != ok && status != unset && kind != client }',
      '{ status != ok && status != unset && kind != client }',
    ],
    [
      '{ statusMessage = "" && rootName = "r" && rootServiceName = "s" && traceDuration > 1s }',
      '{ statusMessage = "" && rootName = "r" && rootServiceName = "s" && traceDuration > 1s }',
    ],
    [
      '{ span:name = "a" && span:status = error && span:kind = client && span:duration > 1s }',
      '{ name = "a" && status = error && kind = client && duration > 1s }',
    ],
    [
      '{ span:statusMessage = "m" && trace:rootName = "r" && trace:rootService = "s" && trace:duration > 2s }',
      '{ statusMessage = "m" && rootName = "r" && rootServiceName = "s" && traceDuration > 2s }',
    ],
    [
      '{ span.flag = true && span.n = -3 && span.f = 1.25 && span.x != nil && span.y = nil }',
      '{ span.flag = true && span.n = -3 && span.f = 1.25 && span.x != nil && span.y = nil }',
    ],
    // `&&` and `||` bind equally and group from the left, as in Tempo's grammar.
    ['{ .a = 1 || .b = 2 && .c = 3 }', '{ (.a = 1 || .b = 2) && .c = 3 }'],
    ['{ .a = 1 && .b = 2 || .c = 3 }', '{ (.a = 1 && .b = 2) || .c = 3 }'],
    ['{ .a = 1 || (.b = 2 && .c = 3) }', '{ .a = 1 || (.b = 2 && .c = 3) }'],
    ['{ ((.a = 1)) }', '{ .a = 1 }'],
    ['{ !(.a = 1) && !(!(.b = 2)) }', '{ !(.a = 1) && !(!(.b = 2)) }'],
    // A lone attribute is a boolean attribute.
    ['{ .flag }', '{ .flag = true }'],
    ['{ !.flag }', '{ .flag = false }'],
    ['{ (.n) = 3 }', '{ .n = 3 }'],
    // A literal on the left moves to the right; two literals fold.
    ['{ "x" = name }', '{ name = "x" }'],
    ['{ 200 < span.code }', '{ span.code > 200 }'],
    ['{ error = status }', '{ status = error }'],
    ['{ 1 = 2 }', '{ false }'],
    ['{ 1 < 1h }', '{ }'],
    ['{ "test" =~ "t" }', '{ }'],
    ['{ "test" !~ "t" }', '{ false }'],
    ['{ nil = nil }', '{ false }'],
    ['{ nil != nil }', '{ false }'],
    ['{ nil != "x" }', '{ }'],
    [
      '{ name != nil && .a = nil && resource.service.name != nil }',
      '{ name != nil && .a = nil && resource.service.name != nil }',
    ],
    ['{ duration > 100 && 1 < 1h && span.n = 2s }', '{ duration > 100 && true && span.n = 2s }'],
    ['{ -1 = -1 }', '{ }'],
    ['{ !true || false }', '{ !(true) || false }'],
    // Quoted attribute names and Go string escapes survive the round trip.
    ['{ span."foo bar" = "a\\tb" }', '{ span."foo bar" = "a\\tb" }'],
    ['{ ."a\\"b" = "\\u00e9" }', '{ ."a\\"b" = "é" }'],
    // Spanset operators.
    ['{ .a = 1 } && { .b = 2 }', '{ .a = 1 } && { .b = 2 }'],
    ['{ .a = 1 } || { .b = 2 } && { .c = 3 }', '({ .a = 1 } || { .b = 2 }) && { .c = 3 }'],
    ['({ .a = 1 } || { .b = 2 })', '{ .a = 1 } || { .b = 2 }'],
    ['{ } && ({ } || { })', '{ } && ({ } || { })'],
    // Comments and white space.
    ['{ // first\n name = "a" /* second */ }', '{ name = "a" }'],
  ];
  for (const [text, rendered] of accepted) {
    it(`parses ${JSON.stringify(text)}`, () => {
      const query = parse(text);
      assert.equal(renderQuery(query), rendered);
      // The rendering parses back to the same tree.
      assert.deepEqual(parse(rendered), query);
    });
  }

  it('builds a typed tree', () => {
    const expected: Query = {
      root: {
        kind: 'spansetAnd',
        items: [
          {
            kind: 'filter',
            expr: {
              kind: 'or',
              items: [
                {
                  kind: 'compare',
                  field: { kind: 'attribute', scope: 'resource', name: 'service.name' },
                  op: '=',
                  value: { type: 'string', value: 'api' },
                },
                {
                  kind: 'not',
                  expr: {
                    kind: 'compare',
                    field: { kind: 'intrinsic', name: 'duration' },
                    op: '<',
                    value: { type: 'duration', value: 5e8 },
                  },
                },
              ],
            },
          },
          {
            kind: 'filter',
            expr: {
              kind: 'compare',
              field: { kind: 'intrinsic', name: 'status' },
              op: '=',
              value: { type: 'status', value: 'error' },
            },
          },
        ],
      },
    };
    assert.deepEqual(
      parse('{ resource.service.name = "api" || !(duration < 500ms) } && { status = error }'),
      expected,
    );
  });

  // What cannot be evaluated: the message names the 1-based position and the part.
  const refused: Array<[string, string]> = [
    ['{ .a = "x" } | count() > 1', 'unsupported at 14: pipeline "| count() > 1"'],
    ['{ .a = "x" } | count()', 'unsupported at 14: pipeline "| count()"'],
    ['{ } | select(span.a) | by(name)', 'unsupported at 5: pipeline "| select(span.a)"'],
    ['({ } | count() > 1) && { }', 'unsupported at 6: pipeline "| count() > 1"'],
    [
      '{ } | rate() by (resource.service.name)',
      'unsupported at 5: pipeline "| rate() by (resource.service.name)"',
    ],
    ['{ .a = 1 } >> { .b = 2 }', 'unsupported at 12: structural operator ">>"'],
    ['{ } > { }', 'unsupported at 5: structural operator ">"'],
    ['{ } ~ { }', 'unsupported at 5: structural operator "~"'],
    ['{ } !~ { }', 'unsupported at 5: structural operator "!~"'],
    ['{ } &>> { }', 'unsupported at 5: structural operator "&>>"'],
    ['({ } << { })', 'unsupported at 6: structural operator "<<"'],
    ['{ } with (sample=true)', 'unsupported at 5: query hints "with (sample=true)"'],
    ['100 * ({} | rate())', 'unsupported at 1: metrics arithmetic "100 * ({} | rate())"'],
    ['(-1.5 - ({} | rate()))', 'unsupported at 2: metrics arithmetic "-1.5 - ({} | rate()))"'],
    ['count() > 1', 'unsupported at 1: aggregate "count" outside a spanset filter'],
    ['{ count() > 1 }', 'unsupported at 3: aggregate "count" inside a spanset filter'],
    ['{ .a + 1 = 2 }', 'unsupported at 6: arithmetic "+"'],
    ['{ .a = .b * 2 }', 'unsupported at 11: arithmetic "*"'],
    ['{ -.a = 2 }', 'unsupported at 3: arithmetic "-"'],
    ['{ .a = .b }', 'unsupported at 6: comparison of two fields ".a = .b"'],
    ['{ "x" =~ .a }', 'unsupported at 7: a regular expression taken from .a'],
    ['{ event.name = "x" }', 'unsupported at 3: event-scoped attribute "event.name"'],
    ['{ link.x = 1 }', 'unsupported at 3: link-scoped attribute "link.x"'],
    ['{ instrumentation.x = 1 }', 'unsupported at 3: instrumentation-scoped attribute "instrumentation.x"'],
    ['{ parent.span.x = 1 }', 'unsupported at 3: parent attribute "parent.span.x"'],
    ['{ span:id = "ab" }', 'unsupported at 3: intrinsic "span:id"'],
    ['{ trace:id = "ab" }', 'unsupported at 3: intrinsic "trace:id"'],
    ['{ event:name = "ab" }', 'unsupported at 3: intrinsic "event:name"'],
    ['{ nestedSetParent = -1 }', 'unsupported at 3: intrinsic "nestedSetParent"'],
    ['', 'syntax error at 1: the query is empty: write a spanset filter such as { name = "GET" }'],
    ['name = "GET"', 'syntax error at 1: expected a spanset filter such as { name = "GET" }, found "name"'],
    ['{ name = }', 'syntax error at 10: expected a field or a value, found "}"'],
    ['{ name = "GET"', 'syntax error at 15: expected "}" to close the "{" at 1, found the end of the query'],
    ['{ name = "GET" } }', 'syntax error at 18: unexpected "}" after the query'],
    [
      '({ name = "GET" }',
      'syntax error at 18: expected ")" to close the "(" at 1, found the end of the query',
    ],
    ['{ name = "GET" })', 'syntax error at 17: unbalanced ")"'],
    ['{ span.x = "unterminated }', 'syntax error at 12: unterminated string'],
    ['{ .a = "\\q" }', 'syntax error at 8: invalid escape \\q'],
    ['{ .a = 1 $ }', 'syntax error at 10: unexpected character "$"'],
    ['{ . = 1 }', 'syntax error at 3: expected an attribute name after "."'],
    [
      '{ service.name = "x" }',
      'syntax error at 3: unknown identifier "service"; attributes are written .service.name, span.service.name or resource.service.name',
    ],
    ['{ foo = 1 }', 'syntax error at 3: unknown identifier "foo"'],
    ['{ .a = 1 .b = 2 }', 'syntax error at 10: expected "}" to close the "{" at 1, found ".b"'],
    [
      '{ .a =~ "(" }',
      'invalid at 9: error parsing regexp: Invalid regular expression: /(/: Unterminated group',
    ],
    // Tempo's type rules.
    ['{ .a =~ 3 }', 'invalid at 6: "=~" does not apply to a number: .a =~ 3'],
    ['{ 1 =~ 2 }', 'invalid at 5: "=~" does not apply to a number: 1 =~ 2'],
    ['{ .a > nil }', 'invalid at 6: ">" does not apply to nil: .a > nil'],
    ['{ status = "error" }', 'invalid at 10: "=" compares a status with a string: status = "error"'],
    ['{ status > ok }', 'invalid at 10: ">" does not apply to a status: status > ok'],
    ['{ kind = error }', 'invalid at 8: "=" compares a kind with a status: kind = error'],
    ['{ .a = true && .b > false }', 'invalid at 19: ">" does not apply to a boolean: .b > false'],
    ['{ 1 = "foo" }', 'invalid at 5: "=" compares a number with a string: 1 = "foo"'],
    ['{ "x" = duration }', 'invalid at 7: "=" compares a string with a number: "x" = duration'],
    ['{ rootName != 3.2 }', 'invalid at 12: "!=" compares a string with a number: rootName != 3.2'],
    ['{ span:status = nil }', 'invalid at 15: span:status = nil is never true: intrinsics always exist'],
    [
      '{ nil = resource.service.name }',
      'invalid at 7: nil = resource.service.name is never true: every span has resource.service.name',
    ],
    ['{ !name = "x" }', 'invalid at 3: "!" applies to name alone: write !(name = ...)'],
    [
      '{ !.a = "x" }',
      'invalid at 7: "=" compares a condition: to negate a comparison write !( ... ), to group one ( ... )',
    ],
    ['{ .a = 1 = 2 }', 'invalid at 10: "=" would compare the result of a comparison: group with ( )'],
    ['{ name }', 'invalid at 3: name is not a condition: compare it, as in name = ...'],
    ['{ "x" }', 'invalid at 3: "x" is not a condition'],
    ['{ true && 3 }', 'invalid at 11: 3 is not a condition'],
    [`{ ${'('.repeat(200)}.a = 1${')'.repeat(200)} }`, 'syntax error at 131: nesting deeper than 128 levels'],
    [`{ .a = ${'-'.repeat(1e5)}1 }`, 'syntax error at 136: nesting deeper than 128 levels'],
    [`{ ${'!'.repeat(1e5)}true }`, 'syntax error at 131: nesting deeper than 128 levels'],
    [`${'('.repeat(1e5)}{ }`, 'syntax error at 129: nesting deeper than 128 levels'],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`, () => {
      assert.throws(
        () => parse(text),
        (err: unknown) => err instanceof TraceQLError && err.message === message,
        message,
      );
    });
  }

  it('says what a Tempo-like server answers', () => {
    const bad = checkSupported('{ .a = "x" } | count() > 1');
    assert.ok(!bad.ok);
    assert.equal(bad.status, 400);
    assert.equal(bad.message, 'invalid TraceQL query: unsupported at 14: pipeline "| count() > 1"');
    assert.equal(bad.error.kind, 'unsupported');
    assert.equal(bad.error.at, 14);
    assert.equal(bad.error.detail, 'pipeline "| count() > 1"');
    const good = checkSupported('{ name = "GET" }');
    assert.ok(good.ok);
    assert.deepEqual(good.query, parse('{ name = "GET" }'));
  });

  it('lists the fields a query reads, in the order written, each once', () => {
    assert.deepEqual(
      fieldsOf(
        parse(
          '{ span.a = 1 && (status = error || .b =~ "x") } && { span.a > 2 && resource.a != nil && duration > 1s }',
        ),
      ),
      [
        { kind: 'attribute', scope: 'span', name: 'a' },
        { kind: 'intrinsic', name: 'status' },
        { kind: 'attribute', scope: 'any', name: 'b' },
        { kind: 'attribute', scope: 'resource', name: 'a' },
        { kind: 'intrinsic', name: 'duration' },
      ],
    );
    assert.deepEqual(fieldsOf(parse('{ } || { true }')), []);
  });
});
