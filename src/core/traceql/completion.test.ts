import { strict as assert } from 'node:assert';
import {
  applyCompletion,
  completionContext,
  tagCompletions,
  tagInsertion,
  valueInsertion,
} from './completion';

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
    // Read from the tokens: scoped intrinsics, `!`, comments, and braces inside strings.
    ['{ span:na', { kind: 'tag', prefix: 'span:na', from: 2 }],
    ['{ !res', { kind: 'tag', prefix: 'res', from: 3 }],
    ['{ name = "a" } && { ', { kind: 'tag', prefix: '', from: 20 }],
    ['{ /* { */ kind = server && ', { kind: 'tag', prefix: '', from: 27 }],
    ['{ a = "}" && ', { kind: 'tag', prefix: '', from: 13 }],
    ['{ span:name != "x', { kind: 'value', tag: 'span:name', prefix: 'x', from: 16 }],
    ['{ a > "', undefined],
    ['{ = "', undefined],
    ['{ a = `raw', undefined],
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
