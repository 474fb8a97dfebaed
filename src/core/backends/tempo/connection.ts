/**
 * Tempo's connection test: `/api/echo` (reachability and gateway auth), `/api/search/tags`
 * (credentials and tenant, since echo skips Tempo's auth), `/ready` (prefixed first, then at the
 * origin root, where self-hosted Tempo serves it) and `/api/status/buildinfo` (version, 2.3+).
 * Each check is its own request under the caller's signal: once it aborts, nothing more is sent.
 */
import type { ConnectionCheck, ConnectionReport } from '../backend';
import { BackendError, quoteText, redactUrl } from '../errors';
import type { HttpResponse } from '../http';
import { runOperation, type TempoApi } from './api';

/** A check's outcome, with the error kind when it failed with one. */
type Outcome = ConnectionCheck & { kind?: string };

/** Runs Tempo's checks; never throws for a failed check, only when cancelled. */
export async function testConnection(api: TempoApi, signal?: AbortSignal): Promise<ConnectionReport> {
  const checks: ConnectionCheck[] = [];
  const wording = api.http.wording;
  /** Requests `path`; the check passes when `judge` says so. Never throws except when cancelled. */
  const check = async (
    name: string,
    path: string,
    rootRelative: boolean,
    accept: string,
    judge: (res: HttpResponse) => { ok: boolean; message: string },
  ): Promise<Outcome> => {
    try {
      const res = await runOperation(api, signal, (op) =>
        api.http.get(op, {
          path,
          rootRelative,
          accept,
          maxRetries: 0,
          acceptStatus: (s) => s === 200 || s === 503,
        }),
      );
      return { name, url: res.url, status: res.status, ...judge(res) };
    } catch (err) {
      if (err instanceof BackendError && err.kind === 'cancelled') throw err;
      if (!(err instanceof BackendError)) {
        const url = redactUrl(api.http.urlFor({ path, rootRelative }));
        return { name, url, ok: false, message: err instanceof Error ? err.message : String(err) };
      }
      return {
        name,
        url: err.url,
        ok: false,
        kind: err.kind,
        ...(err.status !== undefined ? { status: err.status } : {}),
        message: err.message,
      };
    }
  };
  const add = (c: Outcome): ConnectionCheck => {
    const { kind: _kind, ...plain } = c;
    checks.push(plain);
    return plain;
  };
  const bodyText = (res: HttpResponse) => api.http.scrub(new TextDecoder().decode(res.body));
  const notReady = (res: HttpResponse) => ({
    ok: false,
    message: `${res.prefix}: ${wording.product} is not ready${res.body.length ? `: "${bodyText(res)}"` : ''}`,
  });

  const echoResult = await check('echo', '/api/echo', false, 'text/plain', (res) =>
    res.status !== 200
      ? notReady(res)
      : /^echo\b/.test(new TextDecoder().decode(res.body.subarray(0, 16)))
        ? { ok: true, message: `${res.prefix}: ${wording.product} answered` }
        : {
            ok: false,
            message: `${res.prefix}: the server answered, but not like Tempo (check ${wording.urlSetting})`,
          },
  );
  const echo = add(echoResult);
  let version: string | undefined;
  let query: ConnectionCheck | undefined;
  // When the server cannot be reached at all, the other checks would only repeat that.
  if (echoResult.kind !== 'unreachable' && echoResult.kind !== 'timeout') {
    query = add(
      await check('query', '/api/search/tags', false, 'application/json', (res) =>
        res.status === 200 ? { ok: true, message: `${res.prefix}: queries are allowed` } : notReady(res),
      ),
    );
    const readyJudge = (res: HttpResponse) =>
      res.status === 200 ? { ok: true, message: `${res.prefix}: ready` } : notReady(res);
    const ready = await check('ready', '/ready', false, 'text/plain', readyJudge);
    const prefixed = api.http.baseUrl.pathname.replace(/\/+$/, '') !== '';
    if (!ready.ok && prefixed && ready.status === 404) {
      // Self-hosted Tempo serves /ready without http_api_prefix: try the origin root.
      const root = await check('ready', '/ready', true, 'text/plain', readyJudge);
      if (!root.ok) root.message = `${ready.url} answered 404, and then ${root.message}`;
      add(root);
    } else add(ready);
    const info = await check('buildinfo', '/api/status/buildinfo', false, 'application/json', (res) => {
      let v: string | undefined;
      try {
        const json: unknown = JSON.parse(new TextDecoder().decode(res.body));
        if (
          typeof json === 'object' &&
          json !== null &&
          'version' in json &&
          typeof json.version === 'string'
        ) {
          v = json.version.trim();
        }
      } catch {
        // Not JSON: reported below.
      }
      if (v) version = v;
      if (v === undefined) return { ok: false, message: `${res.prefix}: no version in the answer` };
      // A Tempo built from source without release flags (3.0.3 from its tag) says "": a note.
      return v
        ? { ok: true, message: `${res.prefix}: Tempo ${quoteText(v, [], 40)}` }
        : { ok: true, message: `${res.prefix}: Tempo did not say its version (built without one)` };
    });
    if (!info.ok && info.status === 404) {
      info.message = `GET ${new URL(info.url).pathname} → 404: Tempo before 2.3 has no build info`;
    }
    add(info);
  }
  const ok = echo.ok && query?.ok === true;
  const failed = checks.filter((c) => !c.ok);
  const summary = ok
    ? `Connected to ${api.name}${version ? ` (Tempo ${quoteText(version, [], 40)})` : ''}${failed.length ? `; ${failed.map((c) => `${c.name} failed`).join(', ')}` : ''}`
    : `Cannot use ${api.name}: ${(failed[0] ?? echo).message}`;
  return { ok, checks, ...(version ? { version } : {}), summary };
}
