/**
 * The tier's own ground: each Tempo runs a config generated from the shared tempo.yaml with every
 * path under its own data folder (no two runs or instances share a WAL), the overrides it asked
 * for, and nothing else changed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { parse } from 'yaml';
import { INSTANCES, tempo, tempoLookup, type InstanceName } from './fixtures';
import { tempoConfig } from './server';

/** Every string value whose key says it is a path, with its key path. */
function paths(value: unknown, at = ''): [string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]): [string, string][] =>
    typeof v === 'string' && /(^|_)(path|dir)$/.test(k) ? [[`${at}${k}`, v]] : paths(v, `${at}${k}.`),
  );
}

const PORTS = {
  TEMPO_HTTP_PORT: 1,
  TEMPO_GRPC_PORT: 2,
  TEMPO_MEMBERLIST_PORT: 3,
  TEMPO_OTLP_GRPC_PORT: 4,
  TEMPO_OTLP_HTTP_PORT: 5,
};

describe('the tempo tier: generated Tempo configs', () => {
  const names = Object.keys(INSTANCES) as InstanceName[];

  it('every path of every instance lies under its own data folder', async () => {
    const seen = new Set<string>();
    for (const name of names) {
      const server = await tempo(name);
      const config: unknown = parse(readFileSync(join(server.dir, 'tempo.yaml'), 'utf8'));
      const found = paths(config);
      assert.ok(found.length >= 7, `${name}: ${found.length} paths`);
      for (const [key, path] of found) {
        const rel = relative(join(server.dir, 'data'), path);
        assert.ok(isAbsolute(path) && !rel.startsWith('..') && !isAbsolute(rel), `${name} ${key}: ${path}`);
        assert.ok(!seen.has(path), `${path} is shared`);
        seen.add(path);
      }
    }
  });

  it('the defaults instance runs the shared config as it is, apart from ports and paths', async () => {
    const found = await tempoLookup();
    assert.ok(found.ok);
    const server = await tempo('defaults');
    const generated: unknown = parse(readFileSync(join(server.dir, 'tempo.yaml'), 'utf8'));
    const stripped = JSON.stringify(generated, (k: string, v: unknown) =>
      typeof v === 'string' && /(^|_)(path|dir)$/.test(k)
        ? '<path>'
        : /port$|endpoint$/.test(k)
          ? '<port>'
          : v,
    );
    const shared: unknown = parse(readFileSync(found.config, 'utf8'));
    const sharedStripped = JSON.stringify(shared, (k: string, v: unknown) =>
      typeof v === 'string' && /(^|_)(path|dir)$/.test(k)
        ? '<path>'
        : /port$|endpoint$/.test(k)
          ? '<port>'
          : v,
    );
    assert.equal(stripped, sharedStripped);
    assert.doesNotMatch(stripped, /query_end_cutoff/);
  });

  it('a config with a path outside the data folder is refused', () => {
    assert.throws(
      () => tempoConfig('storage:\n  trace:\n    wal:\n      path: /var/tempo/wal\n', '/tmp/x', PORTS),
      /"\/var\/tempo\/wal" is not under the data folder/,
    );
    assert.throws(
      () => tempoConfig('x:\n  local_work_path: ../elsewhere\n', '/tmp/x', PORTS),
      /not under the data folder/,
    );
  });

  it('an unknown ${VAR} in the shared config is an error, not an empty value', () => {
    assert.throws(
      () => tempoConfig('server:\n  http_listen_port: ${TEMPO_OTHER_PORT}\n', '/tmp/x', PORTS),
      /TEMPO_OTHER_PORT/,
    );
  });
});
