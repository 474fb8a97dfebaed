import { strict as assert } from 'node:assert';
import { Paging, searchOffset } from './paging';

const options = {
  sections: ['errors', 'path'] as const,
  first: { errors: 2, path: 3 },
  page: 10,
  tool: 'get_trace',
  args: { trace_id: 'a8e00f77b50a734539bf0e48eec6bec4' },
};
const items = Array.from({ length: 25 }, (_, k) => k);

describe('agent paging', () => {
  it('lists the first few of every section on a first call', () => {
    const p = new Paging(undefined, options);
    assert.equal(p.at, undefined);
    assert.equal(p.badCursor, undefined);
    assert.ok(p.shows('errors') && p.shows('path'));
    assert.deepEqual(p.slice('errors', items), [0, 1]);
    assert.deepEqual(p.slice('path', items), [0, 1, 2]);
    assert.equal(p.count('path'), 3);
  });

  it('lists a page of one section from the item a cursor names, and only that section', () => {
    const p = new Paging(' path:5 ', options);
    assert.deepEqual(p.at, { section: 'path', offset: 5 });
    assert.equal(p.shows('errors'), false);
    assert.equal(p.from('path'), 5);
    assert.equal(p.from('errors'), 0);
    assert.deepEqual(p.slice('path', items), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert.deepEqual(p.slice('path', items.slice(0, 3)), [], 'past the end: nothing');
  });

  it('names the call for the rest, with how many are left, and nothing when none are', () => {
    const first = new Paging(undefined, options);
    assert.equal(
      first.more('path', 'The critical path', 3, 25),
      '- The critical path (22 more): `get_trace` with `{"trace_id":"a8e00f77b50a734539bf0e48eec6bec4","cursor":"path:3"}`',
    );
    // The budget cut the list short: the cursor starts at the first item not shown.
    assert.match(first.more('errors', 'Errors', 1, 4)!, /^- Errors \(3 more\): .*"cursor":"errors:1"/);
    assert.equal(first.more('errors', 'Errors', 2, 2), undefined);
    const later = new Paging('path:20', options);
    assert.match(later.more('path', 'The critical path', 4, 25)!, /\(1 more\): .*"cursor":"path:24"/);
    assert.equal(later.more('path', 'The critical path', 5, 25), undefined);
  });

  it('says when a cursor is not one this tool gave, naming the ones it gives, and starts over', () => {
    for (const raw of ['bogus', 'rows:1', 'path:-1', 'path:x', '', '[x](command:evil)']) {
      const p = new Paging(raw, options);
      assert.equal(p.at, undefined, raw);
      assert.match(
        p.badCursor ?? '',
        /is not one this tool gave \(expected errors:N or path:N\); showing the start\.$/,
      );
      assert.deepEqual(p.slice('errors', items), [0, 1]);
    }
    assert.match(
      new Paging('[x](command:evil)', options).badCursor!,
      /`\[x\]\(command:evil\)`/,
      'quoted as code',
    );
    const one = new Paging('nope', { ...options, sections: ['rows'] as const, first: { rows: 5 } });
    assert.match(one.badCursor!, /\(expected rows:N\)/);
  });

  it("reads a search's row cursor, and nothing else", () => {
    assert.equal(searchOffset('20'), 20);
    assert.equal(searchOffset(' 0 '), 0);
    for (const raw of ['', 'rows:20', '-1', '1.5', '12345', '1e3'])
      assert.equal(searchOffset(raw), undefined, raw);
  });
});
