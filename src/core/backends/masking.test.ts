import * as assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { SecretMask, quoteText } from './errors';
import { createBackend, type BackendConfig, type BackendSecrets } from './index';
import { BackendError } from './errors';
import { fixture, send, startLoopback, type Loopback } from './testing/loopback';
import { leakOf } from './testing/leaks';

const TOKEN = 'tl_Zm9v+b/ar=baz~s3cr3t!';
const USER = 'admin';
const PASSWORD = 'p@ss w/rd:%7e+x';
const ID = 'a8e00f77b50a734539bf0e48eec6bec4';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const lowerEscapes = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const jsonEscaped = (s: string) =>
  Array.from(s, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/**
 * How a hostile (or merely talkative) server may send back what it received: `header` is the
 * Authorization value, `secret` the credential in it (the token, or `user:password`).
 */
function reflections(header: string, secret: string): Record<string, string> {
  return {
    raw: header,
    'secret alone': secret,
    base64: b64(secret),
    base64url: b64url(secret),
    'base64 of the header': b64(header),
    'base64 inside JSON (offset 0)': b64(`{"authorization":"${header}"}`),
    'base64 inside JSON (offset 1)': b64(`{"auth":"${header}"}`),
    'base64url inside JSON (offset 2)': b64url(`{"au":"${header}"}`),
    percent: `pct=${encodeURIComponent(header)}`,
    'percent, lower-case escapes': `pct=${lowerEscapes(encodeURIComponent(header))}`,
    'percent of the secret': encodeURIComponent(secret),
    'percent of base64': encodeURIComponent(b64(secret)),
    'percent, twice': encodeURIComponent(encodeURIComponent(header)),
    form: new URLSearchParams({ h: header }).toString(),
    'json with escaped slashes': JSON.stringify({ h: header }).replace(/\//g, '\\/'),
    'json unicode escapes': jsonEscaped(header),
    hex: Buffer.from(secret).toString('hex'),
    'HEX of the header': Buffer.from(header).toString('hex').toUpperCase(),
  };
}

describe('credential masking', () => {
  describe('SecretMask', () => {
    const secret = 'Zm9v+b/ar=é~tok';
    const mask = { mask: (text: string) => quoteText(text, [secret], Infinity) };
    for (const [name, text] of Object.entries(reflections(`Bearer ${secret}`, secret))) {
      it(`masks the ${name} spelling`, () => {
        const masked = mask.mask(`said: ${text} (end)`);
        assert.equal(leakOf(masked, secret), undefined, masked);
        assert.match(masked, /^said: .*\*\*\*.* \(end\)$/);
      });
    }

    it('masks mixed plain and escaped characters, and keeps the text around', () => {
      assert.equal(mask.mask('x Zm9v%2Bb%2far%3D%C3%A9~tok y'), 'x *** y');
      assert.equal(new SecretMask(['Basic YWRtaW46cHc=']).mask('pct=Basic%20YWRtaW46cHc%3D'), 'pct=***');
    });

    it('leaves short secrets and unrelated text alone', () => {
      assert.equal(new SecretMask(['abc']).mask('abc abcd'), 'abc abcd');
      assert.equal(mask.mask('nothing secret here, 200 OK'), 'nothing secret here, 200 OK');
      assert.equal(new SecretMask([]).mask('a.b*c'), 'a.b*c');
    });

    it('masks before it cuts, so a secret straddling the cut leaves no prefix', () => {
      const quoted = quoteText(`${'x'.repeat(195)}${secret}`, [secret], 200);
      assert.ok(!quoted.includes(secret.slice(0, 5)), quoted);
    });

    it('masks a 2 KB token (a JWT) echoed inside base64-encoded JSON', () => {
      const jwt = `eyJ${Buffer.from('x'.repeat(1500).replace(/x/g, (_c, i: number) => String.fromCharCode(33 + (i % 90)))).toString('base64url')}`;
      const quoted = quoteText(
        `debug=${b64(JSON.stringify({ headers: { authorization: `Bearer ${jwt}` } }))}`,
        [jwt],
        Infinity,
      );
      assert.equal(leakOf(quoted, jwt), undefined);
      assert.match(quoted, /^debug=\S*\*\*\*/);
    });

    it('masks a secret at the end of a 64 KB body', () => {
      const m = new SecretMask([TOKEN, `Bearer ${TOKEN}`, PASSWORD, `${USER}:${PASSWORD}`]);
      const body = `${'a%2B/'.repeat(13_000)}${b64(TOKEN)}`;
      assert.equal(leakOf(m.mask(body).slice(-200), TOKEN), undefined);
    });
  });

  describe('errors from a hostile server', () => {
    let server: Loopback;
    before(async () => {
      server = await startLoopback();
    });
    after(() => server.close());

    const auths: { name: string; secrets: BackendSecrets; secret: string; credential: string }[] = [
      { name: 'bearer', secrets: { token: TOKEN }, secret: TOKEN, credential: TOKEN },
      {
        name: 'basic',
        secrets: { user: USER, password: PASSWORD },
        secret: PASSWORD,
        credential: `${USER}:${PASSWORD}`,
      },
    ];
    /** What the server received: the Authorization value and the credential in it. */
    const received = (req: IncomingMessage): { header: string; credential: string } => {
      const header = req.headers.authorization ?? '';
      const [scheme, value = ''] = header.split(' ');
      return {
        header,
        credential: scheme === 'Basic' ? Buffer.from(value, 'base64').toString('utf8') : value,
      };
    };
    const backend = (kind: BackendConfig['kind'], secrets: BackendSecrets, url = server.origin) =>
      createBackend({ name: 'hostile', kind, url }, secrets, { cacheMaxBytes: 0 });

    async function failure(p: Promise<unknown>): Promise<BackendError> {
      try {
        await p;
      } catch (err) {
        assert.ok(err instanceof BackendError, String(err));
        return err;
      }
      assert.fail('expected an error');
    }

    for (const auth of auths) {
      describe(`${auth.name} credentials`, () => {
        it('a 500 body reflecting them in any spelling', async () => {
          let spelling = '';
          server.handle((req, res) => {
            const { header, credential } = received(req);
            assert.equal(credential, auth.credential, 'the server got the credentials');
            send(
              res,
              500,
              `upstream rejected ${reflections(header, credential)[spelling]!} for this request`,
            );
          });
          for (const name of Object.keys(reflections('x', 'y'))) {
            spelling = name;
            for (const kind of ['tempo', 'jaeger', 'zipkin'] as const) {
              const err = await failure(backend(kind, auth.secrets).getTrace(ID));
              assert.equal(err.kind, 'server', err.message);
              assert.match(err.message, /upstream rejected .*\*\*\*/);
              for (const text of [err.message, err.url]) {
                assert.equal(leakOf(text, auth.secret), undefined, `${kind}, ${name}: ${text}`);
              }
            }
          }
        });

        it('a redirect to a path holding them, and a body that is not JSON', async () => {
          server.handle((req, res) => {
            const { header } = received(req);
            if (req.url?.startsWith('/api/v2/')) {
              res.writeHead(302, { Location: `/api/traces/${encodeURIComponent(header)}` });
              return res.end();
            }
            send(res, 500, 'no');
          });
          const redirected = await failure(backend('tempo', auth.secrets).getTrace(ID));
          assert.equal(redirected.kind, 'server', redirected.message);
          for (const text of [redirected.message, redirected.url]) {
            assert.equal(leakOf(text, auth.secret), undefined, text);
          }

          server.handle((req, res) => {
            const { header } = received(req);
            // V8's JSON.parse message quotes a few characters after the bad token: a cut credential.
            send(res, 200, `{"trace": ${header} }`, 'application/json');
          });
          const tempo = backend('tempo', auth.secrets);
          const notJson = [await failure(tempo.getTrace(ID)), await failure(tempo.search!({ q: '{}' }))];
          for (const err of notJson) {
            assert.equal(err.kind, 'bad-response', err.message);
            assert.equal(leakOf(err.message, auth.secret), undefined, err.message);
            assert.ok(!err.message.includes(auth.secret.slice(0, 6)), `a cut credential: ${err.message}`);
          }
        });

        it('a partial trace whose message holds them', async () => {
          const trace = JSON.parse(fixture('tempo-2.0.1-trace-v1.json').toString('utf8')) as unknown;
          server.handle((req, res) => {
            const { header } = received(req);
            send(
              res,
              200,
              JSON.stringify({ trace, status: 'PARTIAL', message: `cut short for ${b64(header)}` }),
              'application/json',
            );
          });
          const r = await backend('tempo', auth.secrets).getTrace(ID);
          assert.equal(r.partial, true);
          for (const text of [r.message ?? '', r.decoded.model.partialMessage ?? '']) {
            assert.match(text, /^cut short for /);
            assert.equal(leakOf(text, auth.secret), undefined, text);
          }
        });

        it('a connection test through Grafana', async () => {
          server.handle((req, res) => {
            const { header, credential } = received(req);
            send(res, 500, `${encodeURIComponent(b64(credential))} ${header}`);
          });
          const report = await backend(
            'grafana',
            auth.secrets,
            `${server.origin}/api/datasources/proxy/uid/t`,
          ).testConnection();
          assert.equal(report.ok, false);
          const texts = [report.summary, ...report.checks.flatMap((c) => [c.message, c.url])];
          for (const text of texts) assert.equal(leakOf(text, auth.secret), undefined, text);
        });
      });
    }

    it('a custom header value, in any spelling', async () => {
      const key = 'k3y/with+odd=chars';
      server.handle((req, res) => {
        const value = String(req.headers['x-api-key']);
        send(res, 500, `${b64url(value)} ${lowerEscapes(encodeURIComponent(value))}`);
      });
      const err = await failure(
        createBackend({
          name: 'h',
          kind: 'tempo',
          url: server.origin,
          headers: { 'X-Api-Key': key },
        }).getTrace(ID),
      );
      assert.equal(leakOf(err.message, key), undefined, err.message);
    });
  });
});
