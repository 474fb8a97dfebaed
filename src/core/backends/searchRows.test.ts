import { strict as assert } from 'node:assert';
import { nanosToMs, searchRow, searchRows } from './searchRows';
import { normalizeSearch } from './tempo/responses';
import { fixture } from './testing/loopback';
import type { SearchHit } from './backend';

const hitsOf = (json: unknown): SearchHit[] => normalizeSearch(json)!.traces;

describe('searchRows', () => {
  it('Tempo 2.0 (no serviceStats): counts unknown, the first matched span kept', () => {
    const [row] = searchRows(hitsOf(JSON.parse(fixture('tempo-2.0.1-search-traceql.json').toString())));
    assert.deepEqual(row, {
      traceId: 'a8e00f77b50a734539bf0e48eec6bec4',
      startMs: 1795469687728,
      durationMs: 5200,
      rootService: 'workflow-engine',
      rootName: 'workflow.execute',
      spanCount: null,
      errorCount: null,
      matched: 2,
      spanId: '88e12c98928f2acd',
    });
  });

  it('Tempo 3.0 (serviceStats in spanSets): spans and errors summed over services', () => {
    const [row] = searchRows(hitsOf(JSON.parse(fixture('tempo-3.0.3/search-basic.json').toString())));
    assert.equal(row!.spanCount, 6);
    assert.equal(row!.errorCount, 1);
    assert.equal(row!.matched, 1);
    assert.equal(row!.spanId, 'd5c93f5748f5eeab');
    assert.equal(row!.startMs, 1796485194145.999756);
  });

  it("the local store's answer: errorCount left out means none; a missing root says ''", () => {
    const [row] = searchRows(
      hitsOf({
        traces: [
          {
            traceID: '00ab',
            rootServiceName: '<root span not yet received>',
            startTimeUnixNano: '1700000000000000000',
            spanSets: [{ spans: [], matched: 0 }],
            serviceStats: { api: { spanCount: 3 }, db: { spanCount: 2, errorCount: 2 } },
          },
        ],
      }),
    );
    assert.equal(row!.traceId, '000000000000000000000000000000ab');
    assert.equal(row!.rootService, '');
    assert.equal(row!.rootName, '');
    assert.equal(row!.durationMs, 0);
    assert.equal(row!.spanCount, 5);
    assert.equal(row!.errorCount, 2);
    assert.equal(row!.spanId, undefined);
  });

  it('names lose control and bidi characters and stay one short line', () => {
    const row = searchRow({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      rootServiceName: 'api\n\u202eevil',
      rootTraceName: 'x'.repeat(1000),
      startTimeUnixNano: 'soon',
      durationMs: -5,
      spanSets: [
        {
          spans: [{ spanId: 'not-hex', startTimeUnixNano: '0', durationNanos: '0', attributes: [] }],
          matched: 1,
          attributes: [],
        },
      ],
      matched: 1,
    });
    assert.equal(row.rootService, 'api evil');
    assert.equal(row.rootName.length, 300);
    assert.ok(row.rootName.endsWith('…'));
    assert.ok(Number.isNaN(row.startMs));
    assert.equal(row.durationMs, 0);
    assert.equal(row.spanId, undefined);
  });

  it('lists a trace once', () => {
    const hit = hitsOf(JSON.parse(fixture('tempo-2.0.1-search-traceql.json').toString()))[0]!;
    assert.equal(searchRows([hit, hit]).length, 1);
  });

  it('reads Unix nanoseconds exactly to the microsecond', () => {
    assert.equal(nanosToMs('1795469687728123000'), 1795469687728.123);
    assert.equal(nanosToMs('1500000'), 1.5);
    assert.ok(Number.isNaN(nanosToMs('0')));
    assert.ok(Number.isNaN(nanosToMs('-1')));
    assert.ok(Number.isNaN(nanosToMs('1e18')));
  });
});
