import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, EXIT } from './main';
import { readJsonc } from './settings';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/tempo');
const WORKFLOW = 'a8e00f77b50a734539bf0e48eec6bec4';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

/** The JSON summary the foundation issue asks for, worked out by reading the fixture. */
const WORKFLOW_SUMMARY = {
  traceId: WORKFLOW,
  rootService: 'workflow-engine',
  rootName: 'workflow.execute',
  durationMs: 5200,
  spanCount: 6,
  services: ['workflow-engine', 'data-fetch', 'notifier'],
  errorCount: 1,
  partial: false,
  warnings: [],
};

interface FakeTempo {
  url: string;
  close(): Promise<void>;
}

describe('trace-lens CLI', () => {
  describe('show', () => {
    for (const file of ['tempo-2.0.1-trace-v1.json', 'tempo-2.0.1-trace-v1.pb']) {
      it(`summarises ${file} as JSON`, async () => {
        const r = await run('show', join(FIXTURES, file), '--json');
        assert.equal(r.code, EXIT.ok, r.err.join('\n'));
        const got = JSON.parse(r.out[0]!) as Record<string, unknown>;
        const { criticalPath, ...rest } = got;
        assert.deepEqual(rest, WORKFLOW_SUMMARY);
        // Root first; the four steps run one after another, so all are on the path, GET under DataFetchNode.
        assert.deepEqual(criticalPath, [
          'ac2b7961bf24397d',
          '435c7728be227427',
          '1bdb53cdbdad1e30',
          'b864023c7ce958f2',
          '88e12c98928f2acd',
          '9cde4f0d0129781e',
        ]);
      });
    }

    it('prints an indented tree with bars, the critical path and errors marked', async () => {
      const r = await run('show', join(FIXTURES, 'tempo-2.0.1-trace-v1.json'));
      assert.equal(r.code, EXIT.ok);
      assert.match(
        r.out[0]!,
        /^workflow-engine · workflow\.execute · 5\.2 s · 6 spans · 3 services · 1 error$/,
      );
      const get = r.out.find((l) => l.includes('GET (data-fetch)'));
      assert.ok(get, 'the GET span is listed');
      assert.match(get, /^\* {5}GET \(data-fetch\)/, 'marked on the path and indented two levels');
      assert.match(get, /4\.2 s \|[ █]+\|$/);
      assert.match(
        r.out.find((l) => l.includes('node.NotifyNode'))!,
        /^\*!/,
      );
    });

    it("prints the model's warnings after the tree, as --json has them", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
      const orphan = join(dir, 'orphan.json');
      // One span whose parent never arrived, as Tempo shows a trace whose root span is missing.
      writeFileSync(
        orphan,
        JSON.stringify({
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'worker' } }] },
              scopeSpans: [
                {
                  spans: [
                    {
                      traceId: 'b8e529a2e7b3f4127127685ca400bc65',
                      spanId: '1111111111111111',
                      parentSpanId: '2222222222222222',
                      name: 'Job.run',
                      startTimeUnixNano: '1700000000000000000',
                      endTimeUnixNano: '1700000000020000000',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      );
      const json = JSON.parse((await run('show', orphan, '--json')).out[0]!) as { warnings: string[] };
      assert.ok(json.warnings.length > 0);
      const r = await run('show', orphan);
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      const warnings = r.out.filter((l) => l.startsWith('warning: '));
      assert.deepEqual(
        warnings,
        json.warnings.map((w) => `warning: ${w}`),
      );
      assert.match(warnings.join('\n'), /missing from the trace/);
      // None for a trace without problems.
      const clean = await run('show', join(FIXTURES, 'tempo-2.0.1-trace-v1.json'));
      assert.ok(!clean.out.some((l) => l.startsWith('warning: ')));
    });

    it('says why a file is not a trace, with exit code 2', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
      const junk = join(dir, 'junk.json');
      writeFileSync(junk, '{"hello":');
      const r = await run('show', junk);
      assert.equal(r.code, EXIT.usage);
      assert.equal(r.err.length, 1);
      assert.match(r.err[0]!, /^trace-lens: .*junk\.json: /);
    });

    it('rejects what is neither a file nor an ID, and unknown options', async () => {
      assert.equal((await run('show', 'not-a-trace')).code, EXIT.usage);
      assert.equal((await run('show', WORKFLOW, '--frobnicate')).code, EXIT.usage);
      assert.equal((await run('show', WORKFLOW, '--format', 'xml')).code, EXIT.usage);
      assert.equal((await run('frob')).code, EXIT.usage);
      assert.equal((await run()).code, EXIT.usage);
    });

    describe('against a Tempo server', () => {
      let tempo: FakeTempo;
      before(async () => {
        const mod = (await import(join(ROOT, 'test/server/fakeTempo.mjs'))) as {
          startFakeTempo(o: { fixturesDir: string }): Promise<FakeTempo>;
        };
        tempo = await mod.startFakeTempo({ fixturesDir: FIXTURES });
      });
      after(async () => tempo?.close());

      it('fetches by ID (v2 404 → v1 fallback) in both formats', async () => {
        for (const format of ['proto', 'json']) {
          const r = await run('show', WORKFLOW, '--tempo', tempo.url, '--format', format, '--json');
          assert.equal(r.code, EXIT.ok, r.err.join('\n'));
          const { criticalPath: _cp, ...rest } = JSON.parse(r.out[0]!) as Record<string, unknown>;
          assert.deepEqual(rest, WORKFLOW_SUMMARY);
        }
      });

      it('exits 1 for a trace the server does not have', async () => {
        const r = await run('show', '0123456789abcdef0123456789abcdef', '--tempo', tempo.url);
        assert.equal(r.code, EXIT.notFound);
        assert.equal(r.err.length, 1);
      });

      it('uses a backend named in traceLens.backends of a settings file', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
        const settings = join(dir, 'settings.json');
        writeFileSync(
          settings,
          `{
  // JSONC, as VS Code writes it
  "traceLens.backends": [
    { "name": "local", "kind": "tempo", "url": "${tempo.url}", },
  ],
}`,
        );
        process.env.TRACE_LENS_SETTINGS = settings;
        try {
          const ok = await run('show', WORKFLOW, '--backend', 'local', '--json');
          assert.equal(ok.code, EXIT.ok, ok.err.join('\n'));
          const missing = await run('show', WORKFLOW, '--backend', 'nope');
          assert.equal(missing.code, EXIT.usage);
          assert.match(missing.err[0]!, /no backend "nope".*known: local/);
        } finally {
          delete process.env.TRACE_LENS_SETTINGS;
        }
      });

      it('refuses an empty token variable before sending anything', async () => {
        delete process.env.TL_EMPTY_TOKEN;
        const r = await run('show', WORKFLOW, '--tempo', tempo.url, '--token-env', 'TL_EMPTY_TOKEN');
        assert.equal(r.code, EXIT.usage);
      });
    });

    it('exits 3 when the server cannot be reached', async () => {
      // A port that was free a moment ago: nothing listens there.
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const r = await run('show', WORKFLOW, '--tempo', `http://127.0.0.1:${port}`);
      assert.equal(r.code, EXIT.backend);
      assert.equal(r.err.length, 1);
      assert.match(r.err[0]!, /^trace-lens: /);
    });
  });

  describe('scan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-cli-scan-'));
    const log = join(dir, 'app.log');
    writeFileSync(
      log,
      [
        `level=info msg="started" trace_id=${WORKFLOW} span_id=b864023c7ce958f2`,
        'commit 3f786850e387550fdab836ed7e6dc881de23001b',
        `GET /api traceparent: 00-${WORKFLOW}-88e12c98928f2acd-01`,
        `md5=0123456789abcdef0123456789abcdef`,
        '',
      ].join('\n'),
    );

    it('prints LINE:COL <traceId> for each ID, nothing for a git SHA or a hash', async () => {
      const r = await run('scan', log);
      assert.equal(r.code, EXIT.ok);
      assert.deepEqual(r.out, [`1:35 ${WORKFLOW}`, `3:26 ${WORKFLOW}`]);
    });

    it('prints one JSON object per ID with --json', async () => {
      const r = await run('scan', log, '--json');
      assert.deepEqual(
        r.out.map((l) => JSON.parse(l) as unknown),
        [
          {
            line: 1,
            column: 35,
            traceId: WORKFLOW,
            spanId: 'b864023c7ce958f2',
            format: 'key',
            confidence: 'high',
          },
          {
            line: 3,
            column: 26,
            traceId: WORKFLOW,
            spanId: '88e12c98928f2acd',
            format: 'traceparent',
            confidence: 'high',
          },
        ],
      );
    });

    it('exits 2 for a file it cannot read', async () => {
      const r = await run('scan', join(dir, 'missing.log'));
      assert.equal(r.code, EXIT.usage);
      assert.match(r.err[0]!, /cannot read .*missing\.log: ENOENT/);
    });
  });

  it('reads JSONC comments and trailing commas but not slashes in strings', () => {
    assert.deepEqual(readJsonc('{ "u": "http://x//y", /* c */ "a": [1, 2,], // end\n }'), {
      u: 'http://x//y',
      a: [1, 2],
    });
  });
});
