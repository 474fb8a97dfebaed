import { strict as assert } from 'node:assert';
import type { Attribute } from '../../shared/model';
import {
  namedFunction,
  escapeRegex,
  functionCondition,
  functionCountQuery,
  functionName,
  functionQuantilesQuery,
  functionQuery,
  renderDuration,
  renderQuery,
  traceqlString,
  type FunctionTarget,
} from './build';
import { compileFilter, matchesAttributes, type SpanAccessor } from './evaluate';
import { parse } from './parser';

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
      assert.equal(matchesAttributes(functionCondition(target), attrs(a)), expected));
  }

  it('accepts scoped keys in results too', () => {
    assert.ok(
      matchesAttributes(
        functionCondition(METHOD),
        attrs({ 'span.code.function.name': 'DataFetchNode.fetch' }),
      ),
    );
  });

  it('renders queries that parse back to the condition they were built from', () => {
    for (const target of [METHOD, TOP, { name: 'a"b\\c.*', container: 'K$', relativePath: 'x/y(1).ts' }]) {
      const cond = functionCondition(target);
      assert.deepEqual(parse(functionQuery(target)).root, { kind: 'filter', expr: cond });
      const failing = parse(functionQuery(target, true)).root;
      assert.deepEqual(failing, {
        kind: 'filter',
        expr: {
          kind: 'and',
          items: [
            cond,
            {
              kind: 'compare',
              field: { kind: 'intrinsic', name: 'status' },
              op: '=',
              value: { type: 'status', value: 'error' },
            },
          ],
        },
      });
    }
  });

  it('matches a search result the way the engine matches a span with the same attributes', () => {
    const asSpan: SpanAccessor<Attribute[]> = {
      name: () => '',
      status: () => 0,
      kind: () => 0,
      durationNs: () => 0,
      statusMessage: () => undefined,
      attribute: (a, scope, key) => (scope === 'span' ? a.find((x) => x.key === key)?.value : undefined),
    };
    const facts = { rootName: undefined, rootServiceName: undefined, durationNs: 0 };
    for (const [name, target, a] of cases) {
      const cond = functionCondition(target);
      assert.equal(compileFilter(cond, asSpan)(attrs(a), facts), matchesAttributes(cond, attrs(a)), name);
    }
  });

  it('renders every kind of literal and field so it parses back', () => {
    const q =
      '{ span."a b" = "x\\ty" && .n = -1.5 && duration > 1500ms && duration < 2m && duration != 7ns && ' +
      'status = error && kind = client && .flag = true && .gone = nil && !(resource.r =~ "^a") }';
    assert.equal(renderQuery(parse(q)), q);
    assert.equal(renderDuration(3600e9), '1h');
    assert.equal(renderDuration(1500), '1500ns');
    assert.equal(renderDuration(0), '0ns');
  });
});

describe('namedFunction (document symbols as query targets)', () => {
  it('names methods, functions with signatures and Go methods, with their holder', () => {
    assert.deepEqual(namedFunction('execute', 'WorkflowRunner'), {
      name: 'execute',
      container: 'WorkflowRunner',
    });
    assert.deepEqual(namedFunction('bar(String, int)', undefined), { name: 'bar' });
    assert.deepEqual(namedFunction('(*Server).Handle', undefined), { name: 'Handle', container: 'Server' });
  });

  it('skips anonymous functions and callbacks described in prose, which no span names', () => {
    for (const symbol of [
      "withSpan('workflow.execute') callback",
      '<function>',
      '(anonymous)',
      'map() callback',
    ]) {
      assert.equal(namedFunction(symbol, 'WorkflowRunner'), undefined, symbol);
    }
    assert.equal(namedFunction('run', '<class>'), undefined, 'a holder that is not a name');
  });
});
