import { strict as assert } from 'node:assert';
import type { Attribute } from '../../shared/model';
import {
  applyCompletion,
  completionContext,
  escapeRegex,
  functionCondition,
  functionCountQuery,
  functionName,
  functionQuantilesQuery,
  functionQuery,
  matchesCondition,
  tagCompletions,
  tagInsertion,
  traceqlString,
  valueInsertion,
  type FunctionTarget,
} from './traceql';

const attrs = (o: Record<string, string | number>): Attribute[] =>
  Object.entries(o).map(([key, value]) => ({ key, value }));

const METHOD: FunctionTarget = {
  name: 'fetch',
  container: 'DataFetchNode',
  relativePath: 'src/nodes/DataFetchNode.ts',
};
const TOP: FunctionTarget = { name: 'main', relativePath: 'cmd/server/main.go' };

describe('TraceQL for a function', () => {
  it('matches a method by qualified name, by namespace + function, or by bare name in its file', () => {
    assert.equal(
      functionQuery(METHOD),
      '{ span.code.function.name =~ "^(?:.*[.:/#\\\\\\\\])?DataFetchNode\\\\.fetch$"' +
        ' || span.code.function =~ "^(?:.*[.:/#\\\\\\\\])?DataFetchNode\\\\.fetch$"' +
        ' || (span.code.namespace =~ "^(?:.*[.:/#\\\\\\\\])?DataFetchNode$" && span.code.function = "fetch")' +
        ' || ((span.code.function.name =~ "^(?:.*[.:/#\\\\\\\\])?fetch$" || span.code.function = "fetch")' +
        ' && (span.code.filepath =~ "^(?:.*[/\\\\\\\\])?src[/\\\\\\\\]nodes[/\\\\\\\\]DataFetchNode\\\\.ts$"' +
        ' || span.code.file.path =~ "^(?:.*[/\\\\\\\\])?src[/\\\\\\\\]nodes[/\\\\\\\\]DataFetchNode\\\\.ts$")) }',
    );
  });

  it('needs the file for a function without a container, and keeps the last three path segments', () => {
    const q = functionQuery({ name: 'main', relativePath: 'services/api/cmd/server/main.go' });
    assert.ok(q.startsWith('{ (span.code.function.name =~ '), q);
    assert.ok(q.includes('cmd[/\\\\\\\\]server[/\\\\\\\\]main\\\\.go$'), q);
    assert.ok(!q.includes('services'), q);
  });

  it('adds status = error around the whole filter, and builds the metrics queries', () => {
    const q = functionQuery(TOP, true);
    assert.ok(q.startsWith('{ ((span.code.function.name'), q);
    assert.ok(q.endsWith(') && status = error }'), q);
    assert.ok(functionQuantilesQuery(TOP).endsWith('} | quantile_over_time(duration, .5, .95)'));
    assert.ok(functionCountQuery(TOP).endsWith('} | count_over_time() by (status)'));
  });

  it('escapes names that carry quotes, backslashes and regex metacharacters', () => {
    const q = functionQuery({ name: 'a"b\\c.*', container: 'K$', relativePath: 'x/y(1).ts' });
    // Every string literal in the query parses back as JSON (a subset of TraceQL's Go escapes).
    const literals: string[] = q.match(/"(?:[^"\\]|\\.)*"/g) ?? [];
    assert.ok(literals.length >= 8);
    for (const l of literals) assert.doesNotThrow(() => JSON.parse(l), l);
    assert.ok(literals.includes(traceqlString('a"b\\c.*')));
    assert.equal(
      escapeRegex('a.b*c(d)[e]{f}|g^h$i\\j+k?'),
      'a\\.b\\*c\\(d\\)\\[e\\]\\{f\\}\\|g\\^h\\$i\\\\j\\+k\\?',
    );
  });

  it('reads function names from symbol names', () => {
    assert.deepEqual(['bar(String, int)', ' run ', 'fetch'].map(functionName), ['bar', 'run', 'fetch']);
  });

  const cases: Array<[string, FunctionTarget, Record<string, string | number>, boolean]> = [
    ['semconv 1.30 qualified name', METHOD, { 'code.function.name': 'DataFetchNode.fetch' }, true],
    ['package-qualified name', METHOD, { 'code.function.name': 'com.acme.DataFetchNode.fetch' }, true],
    ['Ruby-style qualified name', METHOD, { 'code.function.name': 'Acme::DataFetchNode#fetch' }, false],
    [
      'old semconv namespace + function',
      METHOD,
      { 'code.namespace': 'acme.DataFetchNode', 'code.function': 'fetch' },
      true,
    ],
    ['another class', METHOD, { 'code.function.name': 'OtherNode.fetch' }, false],
    ['name suffix is not enough', METHOD, { 'code.function.name': 'XDataFetchNode.fetch' }, false],
    [
      'bare name in the file (container path)',
      METHOD,
      { 'code.function': 'fetch', 'code.filepath': '/app/src/nodes/DataFetchNode.ts' },
      true,
    ],
    [
      'bare name in the file (Windows agent)',
      METHOD,
      { 'code.function.name': 'fetch', 'code.file.path': 'C:\\build\\src\\nodes\\DataFetchNode.ts' },
      true,
    ],
    [
      'bare name in another file',
      METHOD,
      { 'code.function': 'fetch', 'code.filepath': '/app/src/nodes/Other.ts' },
      false,
    ],
    ['bare name without a file', METHOD, { 'code.function': 'fetch' }, false],
    ['only service.name (a server that ignored the filter)', METHOD, { 'service.name': 'engine' }, false],
    [
      'top-level function in its file',
      TOP,
      { 'code.function.name': 'main.main', 'code.filepath': '/src/cmd/server/main.go' },
      true,
    ],
    ['top-level function without a file', TOP, { 'code.function.name': 'main' }, false],
    ['numbers are not names', TOP, { 'code.function': 7, 'code.filepath': '/src/cmd/server/main.go' }, false],
  ];
  for (const [name, target, a, expected] of cases) {
    it(`client-side match: ${name}`, () =>
      assert.equal(matchesCondition(functionCondition(target), attrs(a)), expected));
  }

  it('accepts scoped keys in results too', () => {
    assert.ok(
      matchesCondition(
        functionCondition(METHOD),
        attrs({ 'span.code.function.name': 'DataFetchNode.fetch' }),
      ),
    );
  });
});

describe('TraceQL search box completions', () => {
  const ctx: Array<[string, ReturnType<typeof completionContext>]> = [
    ['{ resource.service.name = "', { kind: 'value', tag: 'resource.service.name', prefix: '', from: 27 }],
    ['{ .service.name="pay', { kind: 'value', tag: '.service.name', prefix: 'pay', from: 17 }],
    ['{ span.http.url =~ "a\\"b', { kind: 'value', tag: 'span.http.url', prefix: 'a\\"b', from: 20 }],
    ['{ ', { kind: 'tag', prefix: '', from: 2 }],
    ['{ resou', { kind: 'tag', prefix: 'resou', from: 2 }],
    ['{ a = "x" && span.ht', { kind: 'tag', prefix: 'span.ht', from: 13 }],
    ['{ a = "{" || (na', { kind: 'tag', prefix: 'na', from: 14 }],
    ['{ a = "x" }', undefined],
    ['', undefined],
    ['"', undefined],
    ['{ a = "x" ', undefined],
  ];
  for (const [text, expected] of ctx) {
    it(`context of ${JSON.stringify(text)}`, () => assert.deepEqual(completionContext(text), expected));
  }

  it('applies value and tag completions', () => {
    const text = '{ resource.service.name = "pa';
    const c = completionContext(text)!;
    assert.equal(
      applyCompletion(text, c, valueInsertion('pay"ments')),
      '{ resource.service.name = "pay\\"ments"',
    );
    const t = '{ resou';
    assert.equal(
      applyCompletion(t, completionContext(t)!, tagInsertion('resource.service.name')),
      '{ resource.service.name = "',
    );
    assert.equal(tagInsertion('status'), 'status ');
  });

  it('lists tags as TraceQL identifiers, prefix matches first', () => {
    const tags = {
      route: 'v2' as const,
      scopes: [
        { name: 'resource', tags: ['service.name', 'host.name'] },
        { name: 'span', tags: ['http.method', 'service.peer'] },
        { name: 'intrinsic', tags: ['name', 'status'] },
      ],
    };
    assert.deepEqual(tagCompletions(tags, ''), [
      'resource.service.name',
      'resource.host.name',
      'span.http.method',
      'span.service.peer',
      'name',
      'status',
    ]);
    assert.deepEqual(tagCompletions(tags, 'span.'), ['span.http.method', 'span.service.peer']);
    assert.deepEqual(tagCompletions(tags, 'serv'), ['resource.service.name', 'span.service.peer']);
    assert.deepEqual(tagCompletions({ route: 'v1', scopes: [{ name: 'all', tags: ['service.name'] }] }, ''), [
      '.service.name',
    ]);
  });
});
