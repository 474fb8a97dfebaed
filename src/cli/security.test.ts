import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, send, startLoopback, type Loopback } from '../core/backends/testing/loopback';
import { leakOf } from '../core/backends/testing/leaks';
import { EXIT, main } from './main';
import { settingsFiles, vscodeUserSettingsFile } from './settings';

const FIXTURES = join(__dirname, '../../test/fixtures/tempo');
const WORKFLOW = 'a8e00f77b50a734539bf0e48eec6bec4';
/** The trace in tempo-2.0.1-trace-v1-2001spans.pb. */
const BATCH = '85c5a3cd3c3f9a71b94e6401754cd3e0';
const TOKEN = 'user-token-Zm9v+b/ar=';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function runIn(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
    { cwd, env },
  );
  return { code, out, err };
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `tl-cli-${name}-`));

/** A Tempo that serves the workflow trace for any ID and records what it was sent. */
function servesTrace(server: Loopback): void {
  server.handle((_req, res) => send(res, 200, fixture('tempo-2.0.1-trace-v1.json'), 'application/json'));
}

function backendsJson(entries: Record<string, unknown>[]): string {
  return `{\n  // JSONC, as VS Code writes it\n  "traceLens.backends": ${JSON.stringify(entries)},\n}\n`;
}

describe('trace-lens CLI and untrusted input', () => {
  let mine: Loopback;
  let theirs: Loopback;
  before(async () => {
    mine = await startLoopback();
    theirs = await startLoopback();
  });
  after(async () => {
    await mine.close();
    await theirs.close();
  });
  beforeEach(() => {
    servesTrace(mine);
    servesTrace(theirs);
  });

  describe('a token never goes where a folder says', () => {
    let repo: string;
    let userSettings: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(() => {
      // A cloned repository, with a backend "prod" of its own and one only it defines.
      repo = tmp('repo');
      mkdirSync(join(repo, '.vscode'));
      writeFileSync(
        join(repo, '.vscode', 'settings.json'),
        backendsJson([
          { name: 'prod', kind: 'tempo', url: theirs.origin },
          {
            name: 'theirs',
            kind: 'tempo',
            url: theirs.origin.replace('//', '//repo-user:repo-pass@'),
            tenant: 'acme',
            headers: { 'X-Api-Key': 'repo-key' },
          },
        ]),
      );
      const home = tmp('home');
      userSettings = join(home, 'trace-lens.json');
      writeFileSync(userSettings, backendsJson([{ name: 'prod', kind: 'tempo', url: mine.origin }]));
      // VSCODE_APPDATA points at an empty folder, so the machine's own VS Code settings stay out.
      env = { TRACE_LENS_SETTINGS: userSettings, VSCODE_APPDATA: tmp('appdata'), TOK: TOKEN };
    });

    it("uses the user's backend of that name, not the repository's, and says which file", async () => {
      const r = await runIn(repo, env, 'show', WORKFLOW, '--backend', 'prod', '--token-env', 'TOK', '--json');
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      assert.equal(theirs.requests.length, 0, "the repository's server was asked");
      assert.equal(mine.requests[0]?.headers.authorization, `Bearer ${TOKEN}`);
      assert.ok(
        r.err.some((l) => l.includes(`backend "prod" from ${userSettings}`)),
        r.err.join('\n'),
      );
    });

    it("prefers VS Code's user settings to the folder's too", async () => {
      const appdata = tmp('appdata');
      mkdirSync(join(appdata, 'Code', 'User'), { recursive: true });
      const vscode = join(appdata, 'Code', 'User', 'settings.json');
      writeFileSync(vscode, backendsJson([{ name: 'prod', kind: 'tempo', url: mine.origin }]));
      const r = await runIn(
        repo,
        { VSCODE_APPDATA: appdata, TOK: TOKEN },
        'show',
        WORKFLOW,
        '--backend',
        'prod',
        '--token-env',
        'TOK',
      );
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      assert.equal(theirs.requests.length, 0);
      assert.equal(mine.requests.length > 0, true);
      assert.ok(
        r.err.some((l) => l.includes(vscode)),
        r.err.join('\n'),
      );
    });

    it('refuses to send a token to a backend only the folder defines', async () => {
      const r = await runIn(repo, env, 'show', WORKFLOW, '--backend', 'theirs', '--token-env', 'TOK');
      assert.equal(r.code, EXIT.usage);
      assert.equal(theirs.requests.length, 0);
      assert.match(r.err.join('\n'), /defined only by .*\.vscode.settings\.json.*--trust-workspace-settings/);
      assert.equal(leakOf(r.err.join('\n'), TOKEN), undefined);
    });

    it("sends none of the folder's headers, tenant or URL credentials without trust", async () => {
      const r = await runIn(repo, env, 'show', WORKFLOW, '--backend', 'theirs', '--json');
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      const sent = theirs.requests[0]!.headers;
      assert.equal(sent.authorization, undefined);
      assert.equal(sent['x-api-key'], undefined);
      assert.equal(sent['x-scope-orgid'], undefined);
      assert.match(r.err.join('\n'), /\.vscode.settings\.json.*sending no credentials/);
    });

    it('sends them all with --trust-workspace-settings', async () => {
      const r = await runIn(
        repo,
        env,
        'show',
        WORKFLOW,
        '--backend',
        'theirs',
        '--token-env',
        'TOK',
        '--trust-workspace-settings',
      );
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      const sent = theirs.requests[0]!.headers;
      assert.equal(sent.authorization, `Bearer ${TOKEN}`);
      assert.equal(sent['x-api-key'], 'repo-key');
      assert.equal(sent['x-scope-orgid'], 'acme');
      assert.ok(r.err.some((l) => l.includes(join(repo, '.vscode', 'settings.json'))));
    });

    it('lists the settings files with the user’s first', () => {
      const nested = join(repo, 'src', 'app');
      mkdirSync(nested, { recursive: true });
      const files = settingsFiles(nested, env);
      assert.deepEqual(files[0], { path: userSettings, owner: 'user' });
      assert.deepEqual(files[1], { path: join(repo, '.vscode', 'settings.json'), owner: 'folder' });
    });

    it("finds VS Code's user settings where VS Code keeps them", () => {
      const f = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv) =>
        vscodeUserSettingsFile(env, platform, platform === 'win32' ? 'C:\\Users\\me' : '/home/me');
      assert.equal(f('linux', {}), '/home/me/.config/Code/User/settings.json');
      assert.equal(f('linux', { XDG_CONFIG_HOME: '/xdg' }), '/xdg/Code/User/settings.json');
      assert.equal(f('darwin', {}), '/home/me/Library/Application Support/Code/User/settings.json');
      assert.equal(
        f('win32', { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }),
        'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\settings.json',
      );
      assert.equal(f('win32', {}), 'C:\\Users\\me\\AppData\\Roaming\\Code\\User\\settings.json');
      assert.equal(f('linux', { VSCODE_APPDATA: '/portable' }), '/portable/Code/User/settings.json');
    });
  });

  describe('a file never shadows the backend', () => {
    let dir: string;
    beforeEach(() => {
      // A file named like the workflow trace's ID that holds another trace.
      dir = tmp('files');
      copyFileSync(join(FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.pb'), join(dir, WORKFLOW));
      copyFileSync(join(FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.pb'), join(dir, 'batch'));
      copyFileSync(join(FIXTURES, 'tempo-2.0.1-trace-v1.json'), join(dir, `${WORKFLOW}.json`));
    });
    const traceIdOf = (r: Run) => (JSON.parse(r.out[0]!) as { traceId: string }).traceId;

    it('fetches an argument that is a trace ID, and says how to read the file instead', async () => {
      const r = await runIn(dir, {}, 'show', WORKFLOW, '--tempo', mine.origin, '--json');
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      assert.equal(traceIdOf(r), WORKFLOW);
      assert.ok(mine.requests.length > 0, 'the server was asked');
      assert.match(r.err.join('\n'), new RegExp(`--file ${WORKFLOW}`));
    });

    it('reads a file given with --file or a path, and says when its name names another trace', async () => {
      for (const argv of [['--file', WORKFLOW], [`./${WORKFLOW}`]]) {
        const r = await runIn(dir, {}, 'show', ...argv, '--tempo', mine.origin, '--json');
        assert.equal(r.code, EXIT.ok, r.err.join('\n'));
        assert.equal(traceIdOf(r), BATCH);
        assert.equal(mine.requests.length, 0);
        assert.match(r.err.join('\n'), new RegExp(`holds trace ${BATCH}, not ${WORKFLOW}`));
      }
    });

    it('reads a file with an extension, quietly when its name fits', async () => {
      const r = await runIn(dir, {}, 'show', `${WORKFLOW}.json`, '--json');
      assert.equal(r.code, EXIT.ok, r.err.join('\n'));
      assert.equal(traceIdOf(r), WORKFLOW);
      assert.deepEqual(r.err, []);
    });

    it('explains a bare name that is neither an ID nor a path', async () => {
      const r = await runIn(dir, {}, 'show', 'batch');
      assert.equal(r.code, EXIT.usage);
      assert.match(r.err[0]!, /--file batch or \.\/batch/);
      const both = await runIn(dir, {}, 'show', WORKFLOW, '--file', 'batch');
      assert.equal(both.code, EXIT.usage);
    });
  });

  describe('credentials never come back in an error', () => {
    const reflect = (server: Loopback) =>
      server.handle((req, res) => {
        const header = req.headers.authorization ?? '';
        const credential = header.startsWith('Basic ')
          ? Buffer.from(header.slice(6), 'base64').toString()
          : header.slice(7);
        send(
          res,
          500,
          `b64=${Buffer.from(credential).toString('base64url')} pct=${encodeURIComponent(header)}`,
        );
      });

    it('in --json mode, for a bearer token and for user:password in the URL', async () => {
      reflect(mine);
      const bearer = await runIn(
        tmp('cwd'),
        { TOK: TOKEN },
        'show',
        WORKFLOW,
        '--tempo',
        mine.origin,
        '--token-env',
        'TOK',
        '--json',
      );
      const basic = await runIn(
        tmp('cwd'),
        {},
        'show',
        WORKFLOW,
        '--tempo',
        mine.origin.replace('//', '//admin:pa%3Ass@'),
        '--json',
      );
      for (const [r, secret] of [
        [bearer, TOKEN],
        [basic, 'admin:pa:ss'],
      ] as const) {
        assert.equal(r.code, EXIT.backend);
        const said = [...r.out, ...r.err].join('\n');
        assert.match(said, /server error/);
        assert.equal(leakOf(said, secret), undefined, said);
      }
    });
  });
});
