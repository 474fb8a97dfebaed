import { strict as assert } from 'node:assert';
import { FileIndex } from './fileIndex';

const WS = '/home/dev/acme/engine';
const NOTIFIER = '/home/dev/acme/notifier';

describe('FileIndex', () => {
  const files = [
    `${WS}/src/nodes/DataFetchNode.ts`,
    `${WS}/test/nodes/DataFetchNode.ts`,
    `${WS}/test/DataFetchNode.ts`,
    `${WS}/src/index.ts`,
    `${NOTIFIER}/src/index.ts`,
    `${NOTIFIER}/lib/index.ts`,
    `${WS}/src/nodes/FetchNode.ts`,
  ];

  const cases: { name: string; query: string; prefer?: string; want: string[] }[] = [
    {
      name: 'container path matches three trailing segments',
      query: '/app/src/nodes/DataFetchNode.ts',
      want: [`${WS}/src/nodes/DataFetchNode.ts`],
    },
    {
      name: 'relative path',
      query: 'src/nodes/DataFetchNode.ts',
      want: [`${WS}/src/nodes/DataFetchNode.ts`],
    },
    {
      name: 'ties on the longest suffix, shorter path first',
      query: '/build/nodes/DataFetchNode.ts',
      want: [`${WS}/src/nodes/DataFetchNode.ts`, `${WS}/test/nodes/DataFetchNode.ts`],
    },
    {
      name: 'base name only: every file of that name, shorter first',
      query: 'DataFetchNode.ts',
      want: [
        `${WS}/test/DataFetchNode.ts`,
        `${WS}/src/nodes/DataFetchNode.ts`,
        `${WS}/test/nodes/DataFetchNode.ts`,
      ],
    },
    {
      name: 'segment-wise: FetchNode.ts does not match DataFetchNode.ts',
      query: '/app/src/nodes/FetchNode.ts',
      want: [`${WS}/src/nodes/FetchNode.ts`],
    },
    {
      name: 'segment-wise: a partial directory name does not count',
      query: '/app/xsrc/index.ts',
      want: [`${WS}/src/index.ts`, `${NOTIFIER}/lib/index.ts`, `${NOTIFIER}/src/index.ts`],
    },
    {
      name: 'preferred folder first among equals',
      query: '/app/src/index.ts',
      prefer: NOTIFIER,
      want: [`${NOTIFIER}/src/index.ts`, `${WS}/src/index.ts`],
    },
    {
      name: 'preferred folder does not beat a longer match',
      query: '/app/src/index.ts',
      prefer: `${NOTIFIER}/lib`,
      want: [`${WS}/src/index.ts`, `${NOTIFIER}/src/index.ts`],
    },
    { name: 'no file of that name', query: '/app/src/Missing.ts', want: [] },
    {
      name: 'Windows-style query against posix files',
      query: 'C:\\build\\src\\nodes\\DataFetchNode.ts',
      want: [`${WS}/src/nodes/DataFetchNode.ts`],
    },
  ];
  for (const c of cases) {
    it(`findBySuffix: ${c.name}`, () => {
      assert.deepEqual(new FileIndex(files).findBySuffix(c.query, c.prefer), c.want);
    });
  }

  it('matchBySuffix reports the matched segment count of every file', () => {
    assert.deepEqual(new FileIndex(files).matchBySuffix('/app/src/nodes/DataFetchNode.ts'), [
      { path: `${WS}/src/nodes/DataFetchNode.ts`, segments: 3 },
      { path: `${WS}/test/nodes/DataFetchNode.ts`, segments: 2 },
      { path: `${WS}/test/DataFetchNode.ts`, segments: 1 },
    ]);
  });

  it('add and remove', () => {
    const index = new FileIndex([`${WS}/src/a.ts`]);
    index.add(`${WS}/src/b.ts`);
    index.add(`${WS}/src/b.ts`);
    index.add('relative/ignored.ts');
    assert.equal(index.size, 2);
    assert.deepEqual(index.findBySuffix('/app/src/b.ts'), [`${WS}/src/b.ts`]);
    index.remove(`${WS}/src/b.ts`);
    index.remove(`${WS}/src/never-added.ts`);
    assert.equal(index.size, 1);
    assert.deepEqual(index.findBySuffix('/app/src/b.ts'), []);
    assert.equal(index.has(`${WS}/src/a.ts`), true);
  });

  it('Windows files: case and separators are ignored, the indexed spelling is returned', () => {
    const index = new FileIndex(['c:\\work\\shop\\Orders\\Views.py']);
    assert.deepEqual(index.findBySuffix('/app/orders/views.py'), ['c:\\work\\shop\\Orders\\Views.py']);
    assert.equal(index.get('C:/Work/Shop/orders/views.py'), 'c:\\work\\shop\\Orders\\Views.py');
    index.remove('C:\\WORK\\shop\\orders\\views.py');
    assert.equal(index.size, 0);
  });

  it('posix files are case-sensitive', () => {
    const index = new FileIndex([`${WS}/src/Nodes/DataFetchNode.ts`]);
    assert.deepEqual(index.matchBySuffix('/app/src/nodes/DataFetchNode.ts'), [
      { path: `${WS}/src/Nodes/DataFetchNode.ts`, segments: 1 },
    ]);
    assert.equal(index.has(`${WS}/src/nodes/DataFetchNode.ts`), false);
  });
});
