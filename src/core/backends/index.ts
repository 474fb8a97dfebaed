/**
 * Trace backends: the shared interface, the implementations, and `createBackend` which builds one
 * from settings plus secrets. Credentials are bound to the backend's own origin.
 */
import type { BackendKind, TraceBackend } from './backend';
import { BackendError } from './errors';
import { FileBackend, type ReadFile } from './file/backend';
import { GrafanaBackend } from './grafana/backend';
import type { Auth, FetchLike } from './http';
import { JaegerBackend } from './jaeger/backend';
import { TempoClient } from './tempo/client';
import { ZipkinBackend } from './zipkin/backend';

export * from './backend';
export { BackendError, isBackendError, redactUrl, type BackendErrorKind } from './errors';
export type { Auth, FetchLike } from './http';
export { FileBackend, type FileBackendOptions, type ReadFile } from './file/backend';
export { GrafanaBackend, grafanaProxyUrl, datasourceOf, type GrafanaBackendOptions } from './grafana/backend';
export { JaegerBackend, type JaegerBackendOptions } from './jaeger/backend';
export { ZipkinBackend, type ZipkinBackendOptions } from './zipkin/backend';
export * from './tempo/client';

/** A backend as the settings describe it. */
export interface BackendConfig {
  /** Display name, unique among the configured backends. */
  name: string;
  kind: BackendKind;
  /** Base URL (with any path prefix); for 'file', a path or `file:` URL. */
  url: string;
  /** Tempo `X-Scope-OrgID` (`a|b` for several tenants). */
  tenant?: string;
  /** Extra headers, sent only to the backend's origin. */
  headers?: Record<string, string>;
  /** Tempo trace-by-ID format. Default 'proto'. */
  format?: 'proto' | 'json';
  /** Deadline for one request, in milliseconds. Default 30000. */
  timeoutMs?: number;
}

/** Secrets from secret storage, never from settings. */
export interface BackendSecrets {
  /** Bearer token (Grafana service account token), or the password when `user` is set. */
  token?: string;
  password?: string;
  user?: string;
}

/** I/O and limits the host passes in. */
export interface BackendDeps {
  /** Default `globalThis.fetch`, which VS Code patches for proxies and certificates. */
  fetch?: FetchLike;
  /** Needed for 'file' backends. */
  readFile?: ReadFile;
  idleTimeoutMs?: number;
  maxBytes?: number;
  cacheMaxBytes?: number;
}

/**
 * The auth for a set of secrets: user + password (or user + token, as Grafana Cloud uses an access
 * policy token as the password) is Basic; a token alone is Bearer; nothing is none.
 */
export function authFromSecrets(secrets: BackendSecrets): Auth {
  const user = secrets.user?.trim();
  if (user) return { kind: 'basic', user, password: secrets.password ?? secrets.token ?? '' };
  if (secrets.token) return { kind: 'bearer', token: secrets.token };
  if (secrets.password) {
    throw new BackendError(
      'bad-request',
      'a password was stored without a user name; set both, or use a token',
    );
  }
  return { kind: 'none' };
}

/** Builds the backend `config` describes. Throws a `BackendError` ('bad-request') for bad settings. */
export function createBackend(
  config: BackendConfig,
  secrets: BackendSecrets = {},
  deps: BackendDeps = {},
): TraceBackend {
  const urlSetting = `the URL of backend "${config.name}"`;
  const http = {
    baseUrl: config.url,
    name: config.name,
    auth: authFromSecrets(secrets),
    ...(config.headers ? { headers: config.headers } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.idleTimeoutMs !== undefined ? { idleTimeoutMs: deps.idleTimeoutMs } : {}),
    ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}),
    ...(deps.cacheMaxBytes !== undefined ? { cacheMaxBytes: deps.cacheMaxBytes } : {}),
  };
  const tempo = {
    ...(config.tenant ? { tenant: config.tenant } : {}),
    ...(config.format ? { format: config.format } : {}),
  };
  switch (config.kind) {
    case 'tempo':
      return new TempoClient({ ...http, ...tempo, wording: { urlSetting } });
    case 'grafana':
      return new GrafanaBackend({ ...http, ...tempo, wording: { urlSetting } });
    case 'jaeger':
      return new JaegerBackend({ ...http, wording: { urlSetting } });
    case 'zipkin':
      return new ZipkinBackend({ ...http, wording: { urlSetting } });
    case 'file': {
      if (!deps.readFile)
        throw new BackendError(
          'bad-request',
          `backend "${config.name}" reads files, but no file reader was given`,
        );
      return new FileBackend({
        path: config.url,
        name: config.name,
        readFile: deps.readFile,
        ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}),
      });
    }
    default: {
      const kind: never = config.kind;
      throw new BackendError('bad-request', `backend "${config.name}" has an unknown kind "${String(kind)}"`);
    }
  }
}
