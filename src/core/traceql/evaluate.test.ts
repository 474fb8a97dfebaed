import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpanKind, StatusCode } from '../../shared/model';
import { decodeTrace } from '../decode';
import type { ComparisonOp, Literal } from './ast';
import {
  compareLiteral,
  compileFilter,
  compileQuery,
  evaluateModel,
  modelFacts,
  type FieldValue,
  type ModelTrace,
  type SpanAccessor,
  type TraceFacts,
} from './evaluate';
import { parse } from './parser';

const FIXTURE = join(
  resolve(__dirname, '..', '..', '..'),
  'test',
  'fixtures',
  'tempo',
  'tempo-2.0.1-trace-v1.json',
);

/*
 * The spans of tempo-2.0.1-trace-v1.json in depth-first order (the trace the fake Tempo's tests
 * search too, so both evaluate the same queries to the same spans):
 *   root      workflow.execute        workflow-engine  5.2 s  server  code.filepath, code.lineno 42, code.function
 *   validate  node.ValidateInputNode  workflow-engine  120 ms internal code.file.path, code.function.name
 *   transform node.TransformNode      workflow-engine  300 ms internal code.filepath, code.function run, code.namespace
 *   fetch     node.DataFetchNode      data-fetch       4.3 s  server  code.filepath .../DataFetchNode.ts, lineno 55
 *   get       GET                     data-fetch       4.2 s  client  http.response.status_code 200
 *   notify    node.NotifyNode         notifier         400 ms server  status error "SMTP 451 temporary failure"
 */
const NAMES = ['root', 'validate', 'transform', 'fetch', 'get', 'notify'];

describe('TraceQL evaluation over the columnar model', () => {
  let trace: ModelTrace;
  before(() => {
    trace = decodeTrace(readFileSync(FIXTURE));
  });

  const cases: Array<[string, string[]]> = [
    ['{ .service.name = "data-fetch" }', ['fetch', 'get']],
    ['{ resource.service.name = "data-fetch" }', ['fetch', 'get']],
    ['{ span.service.name = "data-fetch" }', []],
    ['{ span.code.filepath = "/app/src/nodes/DataFetchNode.ts" && span.code.lineno = 55 }', ['fetch']],
    ['{ span.code.filepath = "/app/src/nodes/DataFetchNode.ts" && span.code.lineno = 61 }', []],
    ['{ name = "GET" || name = "node.NotifyNode" }', ['get', 'notify']],
    // A missing attribute fails every operator, != included.
    ['{ .service.name != "data-fetch" && span.code.filepath != "" }', ['root', 'transform', 'notify']],
    ['{ span.code.filepath =~ "Node\\\\.ts$" }', ['transform', 'fetch', 'notify']],
    // Unanchored, as Go's regexp.MatchString; a leading (?i) is a flag.
    ['{ span.code.function =~ "fetch" }', ['fetch']],
    ['{ span.code.function =~ "(?i)FETCH" }', ['fetch']],
    ['{ span.code.function !~ "Node" }', ['root', 'transform']],
    [
      '{ (name = "GET" || name = "node.DataFetchNode") && resource.service.name = "data-fetch" && !(name = "GET") }',
      ['fetch'],
    ],
    ['{ span.code.file.path != nil }', ['validate']],
    ['{ span.code.file.path = nil }', ['root', 'transform', 'fetch', 'get', 'notify']],
    ['{ duration > 1s }', ['root', 'fetch', 'get']],
    ['{ duration < 200ms }', ['validate']],
    ['{ duration >= 4.3s && duration <= 4300ms }', ['fetch']],
    ['{ duration > 4200000000 }', ['root', 'fetch']],
    ['{ span.http.response.status_code = 200 }', ['get']],
    ['{ span.http.response.status_code > 199 && span.http.response.status_code < 300 }', ['get']],
    // A number never equals a string attribute, nor a string an int one.
    ['{ span.http.response.status_code = "200" }', []],
    ['{ span.code.lineno = "55" }', []],
    ['{ status = error }', ['notify']],
    ['{ status != error }', ['root', 'validate', 'transform', 'fetch', 'get']],
    ['{ kind = client }', ['get']],
    ['{ kind = server && span:status = unset }', ['root', 'fetch']],
    ['{ span.kind = server }', []],
    ['{ statusMessage =~ "SMTP" }', ['notify']],
    ['{ statusMessage = "" }', ['root', 'validate', 'transform', 'fetch', 'get']],
    ['{ traceDuration > 5s && rootName = "workflow.execute" && name = "GET" }', ['get']],
    [
      '{ rootServiceName = "workflow-engine" && trace:rootService = "workflow-engine" && kind = client }',
      ['get'],
    ],
    ['{ traceDuration > 6s }', []],
    // Spansets: && needs both (and keeps the spans of both), || takes either.
    ['{ name = "GET" } && { status = error }', ['get', 'notify']],
    ['{ name = "GET" } && { name = "no such span" }', []],
    ['{ name = "GET" } || { name = "no such span" }', ['get']],
    ['({ name = "GET" } || { name = "x" }) && { status = error }', ['get', 'notify']],
    ['{}', NAMES],
    ['{ false }', []],
    ['{ 1 = 1 }', NAMES],
  ];
  for (const [query, expected] of cases) {
    it(`selects ${JSON.stringify(query)}`, () =>
      assert.deepEqual(
        evaluateModel(parse(query), trace).map((i) => NAMES[i]),
        expected,
      ));
  }

  it('reads the root and duration of the trace', () => {
    assert.deepEqual(modelFacts(trace.model), {
      rootName: 'workflow.execute',
      rootServiceName: 'workflow-engine',
      durationNs: 5.2e9,
    });
  });

  it('decodes span details only for queries that read attributes', () => {
    let details = 0;
    const counting: ModelTrace = {
      model: trace.model,
      detail: (i) => {
        details++;
        return trace.detail(i);
      },
    };
    assert.deepEqual(
      evaluateModel(parse('{ duration > 1s && status != error && kind = server }'), counting),
      [0, 3],
    );
    assert.equal(details, 0);
    evaluateModel(parse('{ span.a = 1 || span.b = 2 || resource.c = 3 }'), counting);
    assert.equal(details, 6, 'one decode per span, kept for the next attribute');
  });
});

/** A span as a store might hold it: no model, attributes looked up on demand. */
interface StoredSpan {
  name: string;
  status: StatusCode;
  kind: SpanKind;
  durationNs: number;
  span: Record<string, FieldValue>;
  resource: Record<string, FieldValue>;
}

const stored: SpanAccessor<StoredSpan> = {
  name: (s) => s.name,
  status: (s) => s.status,
  kind: (s) => s.kind,
  durationNs: (s) => s.durationNs,
  statusMessage: () => undefined,
  attribute: (s, scope, key) => (scope === 'span' ? s.span : s.resource)[key],
};

describe('TraceQL evaluation through a span accessor', () => {
  const spans: StoredSpan[] = [
    {
      name: 'a',
      status: StatusCode.Unset,
      kind: SpanKind.Server,
      durationNs: 1e6,
      span: { 'x.flag': true, 'x.arr': null, 'shared.key': 'from-span' },
      resource: { 'service.name': 'api', 'shared.key': 'from-resource', 'x.arr': 'resource value' },
    },
    {
      name: 'b',
      status: StatusCode.Error,
      kind: SpanKind.Client,
      durationNs: 2e9,
      span: { 'x.flag': false, 'x.n': 1.5 },
      resource: { 'service.name': 'db', 'shared.key': 'from-resource' },
    },
  ];
  const facts: TraceFacts = { rootName: 'a', rootServiceName: 'api', durationNs: 2e9 };

  const cases: Array<[string, number[]]> = [
    ['{ .flag }', []],
    ['{ .x.flag }', [0]],
    ['{ !.x.flag }', [1]],
    ['{ span.x.flag = false }', [1]],
    // An unscoped attribute is the span's when it has one, else its resource's.
    ['{ .shared.key = "from-span" }', [0]],
    ['{ .shared.key = "from-resource" }', [1]],
    ['{ resource.shared.key = "from-resource" }', [0, 1]],
    // A value that is present but not a scalar (an array) is present, and equals nothing.
    ['{ span.x.arr != nil }', [0]],
    ['{ span.x.arr = "" }', []],
    ['{ .x.arr = "resource value" }', []],
    ['{ resource.x.arr = "resource value" }', [0]],
    ['{ span.x.n >= 1.5 && span.x.n < 2 }', [1]],
    ['{ duration > 1ms }', [1]],
    ['{ duration >= 1ms }', [0, 1]],
    ['{ kind = client || status = error }', [1]],
    ['{ rootServiceName = "api" }', [0, 1]],
    ['{ name > "a" }', [1]],
  ];
  for (const [query, expected] of cases) {
    it(`selects ${JSON.stringify(query)}`, () =>
      assert.deepEqual(compileQuery(parse(query), stored)(spans, facts), expected));
  }

  it('compiles a filter once and runs it span by span', () => {
    const q = parse('{ resource.service.name = "db" && duration > 1s }');
    assert.equal(q.root.kind, 'filter');
    if (q.root.kind !== 'filter') return;
    const matches = compileFilter(q.root.expr, stored);
    assert.deepEqual(
      spans.map((s) => matches(s, facts)),
      [false, true],
    );
  });
});

describe('TraceQL comparison rules', () => {
  const str = (value: string): Literal => ({ type: 'string', value });
  const num = (value: number): Literal => ({ type: 'number', value });
  const cases: Array<[FieldValue, ComparisonOp, Literal, boolean]> = [
    ['a', '=', str('a'), true],
    ['a', '!=', str('a'), false],
    ['b', '>', str('a'), true],
    [1, '=', str('1'), false],
    ['1', '=', num(1), false],
    [2, '>=', num(2), true],
    [2, '<', { type: 'duration', value: 3 }, true],
    [true, '=', { type: 'bool', value: true }, true],
    ['true', '=', { type: 'bool', value: true }, false],
    [undefined, '!=', str('a'), false],
    [undefined, '=', { type: 'nil' }, true],
    [null, '=', { type: 'nil' }, false],
    [null, '!=', { type: 'nil' }, true],
    [null, '=', str(''), false],
    [0, '!=', { type: 'nil' }, true],
    ['abc', '=~', str('b'), true],
    ['abc', '!~', str('b'), false],
    ['abc', '=~', str('^b'), false],
    [5, '=~', str('5'), false],
    ['error', '=', { type: 'status', value: 'error' }, true],
    ['ok', '<', { type: 'status', value: 'error' }, true],
    ['client', '=', { type: 'kind', value: 'client' }, true],
  ];
  for (const [value, op, lit, expected] of cases) {
    it(`${JSON.stringify(value)} ${op} ${JSON.stringify(lit)} is ${expected}`, () =>
      assert.equal(compareLiteral(value, op, lit), expected));
  }
});
