import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_KINDS, createBackend, describeBackendProblem, parseBackendEntry } from './index';

interface Manifest {
  contributes: {
    configuration: {
      properties: Record<string, { items?: { properties: Record<string, { enum?: string[] }> } }>;
    };
  };
}

describe('backend kinds and settings entries', () => {
  it('the manifest offers exactly BACKEND_KINDS for traceLens.backends[].kind', () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as Manifest;
    const kind =
      manifest.contributes.configuration.properties['traceLens.backends']?.items?.properties['kind'];
    assert.deepEqual(kind?.enum, [...BACKEND_KINDS]);
  });

  it('createBackend builds every kind', () => {
    for (const kind of BACKEND_KINDS) {
      const url =
        kind === 'grafana'
          ? 'http://127.0.0.1:3000/api/datasources/proxy/uid/tempo'
          : kind === 'file'
            ? '/tmp/traces'
            : 'http://127.0.0.1:3200';
      const b = createBackend({ name: kind, kind, url }, {}, { readFile: async () => new Uint8Array() });
      assert.equal(b.kind, kind);
    }
  });

  const cases: Array<{ what: string; raw: unknown; config?: object; problems: string[] }> = [
    {
      what: 'a full entry, trimmed',
      raw: {
        name: ' prod ',
        kind: 'grafana',
        url: ' https://g/api/datasources/proxy/uid/t ',
        tenant: ' acme ',
        headers: { 'X-Api-Key': 'k' },
        format: 'json',
      },
      config: {
        name: 'prod',
        kind: 'grafana',
        url: 'https://g/api/datasources/proxy/uid/t',
        tenant: 'acme',
        headers: { 'X-Api-Key': 'k' },
        format: 'json',
      },
      problems: [],
    },
    {
      what: 'no kind means Tempo; an unknown format is left out',
      raw: { name: 't', url: 'http://h', format: 'xml', tenant: '  ' },
      config: { name: 't', kind: 'tempo', url: 'http://h' },
      problems: [],
    },
    { what: 'not an object', raw: 'tempo', problems: ['an entry of traceLens.backends is not an object'] },
    { what: 'an array', raw: [], problems: ['an entry of traceLens.backends is not an object'] },
    {
      what: 'no name',
      raw: { name: ' ', url: 'http://h' },
      problems: ['an entry of traceLens.backends has no name'],
    },
    {
      what: 'an unknown kind',
      raw: { name: 'j', kind: 'datadog', url: 'http://h' },
      problems: ['backend "j" has an unknown kind "datadog"'],
    },
    { what: 'no url', raw: { name: 'n', kind: 'jaeger', url: '' }, problems: ['backend "n" has no url'] },
    {
      what: 'bad headers are left out, the entry stays usable',
      raw: { name: 'h', url: 'http://h', headers: { 'Bad Name': 'x', Good: 'y', Split: 'a\r\nb', Num: 3 } },
      config: { name: 'h', kind: 'tempo', url: 'http://h', headers: { Good: 'y' } },
      problems: [
        'backend "h": header "Bad Name" has a bad name or value',
        'backend "h": header "Split" has a bad name or value',
        'backend "h": header "Num" has a bad name or value',
      ],
    },
  ];
  for (const c of cases) {
    it(`reads ${c.what}`, () => {
      const entry = parseBackendEntry(c.raw);
      assert.deepEqual(entry.config, c.config);
      assert.deepEqual(
        entry.problems.map((p) => describeBackendProblem(p)),
        c.problems,
      );
    });
  }

  it('names the settings file in a problem when asked, and keeps control characters out', () => {
    const entry = parseBackendEntry({ name: 'x', kind: 'evil\u001b[2J', url: 'http://h' });
    assert.equal(
      describeBackendProblem(entry.problems[0]!, '/home/me/settings.json'),
      'backend "x" in /home/me/settings.json has an unknown kind "evil [2J"',
    );
  });
});
