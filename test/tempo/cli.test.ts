/**
 * `trace-lens show` against real Tempo 3.0.3 processes: the text tree and `--json`, both formats,
 * short IDs, exit codes (not found 1, usage 2, backend 3), tenants, a named backend from a
 * settings file, and the built `dist/cli.js` as a person runs it.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from './binary';
import { clientFor, closedPort, complete, mainSeed, prefixSeed, tempo, tenantSeed } from './fixtures';
import type { TempoServer } from './server';
import type { MainSeed } from './seed';

/** Runs the CLI in this process; `env` is set for the call only. */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await main(
      args,
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

interface ShowJson {
  traceId: string;
  rootService: string;
  rootName: string;
  durationMs: number;
  spanCount: number;
  services: string[];
  errorCount: number;
  criticalPath: string[];
  partial: boolean;
  warnings?: string[];
}

describe('Tempo 3.0.3: trace-lens show', () => {
  let server: TempoServer;
  let seed: MainSeed;

  before(async function () {
    this.timeout(60_000);
    server = await tempo('main');
    seed = await mainSeed();
    await complete(clientFor(server), seed.checkout);
  });

  it('prints the trace as a tree: spans, services, the error, the bars', async () => {
    const r = await cli(['show', seed.checkout.traceId, '--tempo', server.origin]);
    assert.equal(r.code, 0, r.err);
    for (const text of [
      'POST /checkout',
      'CartService.load',
      'PaymentClient.charge',
      'POST /charge',
      'shop-api',
      'payments',
    ]) {
      assert.ok(r.out.includes(text), `${text} in\n${r.out}`);
    }
  });

  it('--json: the summary, the same from protobuf and from JSON', async () => {
    const proto = await cli(['show', seed.checkout.traceId, '--tempo', server.origin, '--json']);
    const json = await cli([
      'show',
      seed.checkout.traceId,
      '--tempo',
      server.origin,
      '--json',
      '--format',
      'json',
    ]);
    assert.equal(proto.code, 0, proto.err);
    assert.equal(json.code, 0, json.err);
    const s = JSON.parse(proto.out) as ShowJson;
    assert.equal(s.traceId, seed.checkout.traceId);
    assert.equal(s.rootService, 'shop-api');
    assert.equal(s.rootName, 'POST /checkout');
    assert.equal(s.durationMs, 250);
    assert.equal(s.spanCount, 4);
    assert.deepEqual([...s.services].sort(), ['payments', 'shop-api']);
    assert.equal(s.errorCount, 2);
    assert.equal(s.partial, false);
    assert.equal(s.criticalPath[0], seed.checkout.spanIds.get('POST /checkout'));
    assert.deepEqual(JSON.parse(json.out), s);
  });

  it('a 64-bit ID by its 16 digits', async () => {
    const r = await cli(['show', seed.short.traceId.slice(16), '--tempo', server.origin, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as ShowJson).rootName, 'GET /legacy');
  });

  it('not found: exit 1 and a sentence saying so', async () => {
    const r = await cli(['show', randomBytes(16).toString('hex'), '--tempo', server.origin]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^trace-lens: GET \/api\/v2\/traces\/[0-9a-f]{32} → 200: trace [0-9a-f]{32} not found/,
    );
    assert.equal(r.out, '');
  });

  it('a malformed ID: exit 2, nothing asked', async () => {
    const r = await cli(['show', 'not-a-trace-id', '--tempo', server.origin]);
    assert.equal(r.code, 2);
    assert.match(r.err, /is neither a trace ID .* nor a file path/);
  });

  it('nothing listening: exit 3 with the reason', async () => {
    const port = await closedPort();
    const r = await cli(['show', seed.checkout.traceId, '--tempo', `http://127.0.0.1:${port}`]);
    assert.equal(r.code, 3);
    assert.match(r.err, new RegExp(`^trace-lens: .*127\\.0\\.0\\.1:${port}`));
  });

  it('a multi-tenant Tempo: --tenant a and a|b fetch, no tenant is exit 3 naming X-Scope-OrgID', async () => {
    const tenants = await tempo('tenants');
    const t = await tenantSeed();
    const a = await cli(['show', t.a.traceId, '--tempo', tenants.origin, '--tenant', 'a', '--json']);
    assert.equal(a.code, 0, a.err);
    assert.equal((JSON.parse(a.out) as ShowJson).rootService, 'svc-a');
    const both = await cli(['show', t.b.traceId, '--tempo', tenants.origin, '--tenant', 'a|b', '--json']);
    assert.equal(both.code, 0, both.err);
    assert.equal((JSON.parse(both.out) as ShowJson).rootService, 'svc-b');
    const none = await cli(['show', t.a.traceId, '--tempo', tenants.origin]);
    assert.equal(none.code, 3);
    assert.match(none.err, /X-Scope-OrgID/);
  });

  it('--backend NAME from the settings file TRACE_LENS_SETTINGS names (a prefixed Tempo), with --token-env', async () => {
    const prefixed = await tempo('prefix');
    const p = await prefixSeed();
    const dir = mkdtempSync(join(tmpdir(), 'trace-lens-cli-'));
    try {
      const settings = join(dir, 'settings.json');
      writeFileSync(
        settings,
        `{
  // JSONC, as VS Code writes it
  "traceLens.backends": [
    { "name": "local", "kind": "tempo", "url": "http://127.0.0.1:9" },
    { "name": "cloud", "kind": "tempo", "url": "${prefixed.origin}/tempo", "format": "json" },
  ],
}`,
      );
      const r = await cli(
        ['show', p.traceId, '--backend', 'cloud', '--token-env', 'TL_TEMPO_TOKEN', '--json'],
        {
          TRACE_LENS_SETTINGS: settings,
          TL_TEMPO_TOKEN: 'glc_test_token',
        },
      );
      assert.equal(r.code, 0, r.err);
      assert.equal((JSON.parse(r.out) as ShowJson).rootService, 'cloud-api');
      assert.ok(!r.out.includes('glc_test_token') && !r.err.includes('glc_test_token'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the model's warnings are shown: a trace whose root span never arrived says its parent is missing", async () => {
    await complete(clientFor(server), seed.orphan);
    const text = await cli(['show', seed.orphan.traceId, '--tempo', server.origin]);
    assert.equal(text.code, 0, text.err);
    assert.match(`${text.out}\n${text.err}`, /missing from the trace/);
    const json = await cli(['show', seed.orphan.traceId, '--tempo', server.origin, '--json']);
    assert.equal(json.code, 0, json.err);
    const s = JSON.parse(json.out) as ShowJson;
    assert.ok(
      s.warnings?.some((w) => /missing from the trace/.test(w)),
      JSON.stringify(s),
    );
  });

  it('the built dist/cli.js, run as a person runs it', function () {
    const bundle = join(REPO_ROOT, 'dist', 'cli.js');
    assert.ok(existsSync(bundle), 'dist/cli.js is built (npm run test:tempo builds it first)');
    const r = spawnSync(
      process.execPath,
      [bundle, 'show', seed.checkout.traceId, '--tempo', server.origin, '--json'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as ShowJson).spanCount, 4);
    const missing = spawnSync(
      process.execPath,
      [bundle, 'show', randomBytes(16).toString('hex'), '--tempo', server.origin],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.equal(missing.status, 1, missing.stderr);
  });
});
