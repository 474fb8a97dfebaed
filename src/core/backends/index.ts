/**
 * Trace backends: the shared interface, the implementations, and `createBackend` which builds one
 * from settings plus secrets. Credentials are bound to the backend's own origin.
 */
import type { TraceBackend } from './backend';
import { BackendError } from './errors';
import { FileBackend, type ReadFile } from './file/backend';
import { GrafanaBackend } from './grafana/backend';
import type { Auth, FetchLike } from './http';
import { JaegerBackend } from './jaeger/backend';
import type { BackendKind } from './kinds';
import type { BackendConfig } from './settings';
import { TempoClient } from './tempo/client';
import { ZipkinBackend } from './zipkin/backend';

export * from './backend';
export { BACKEND_KINDS, isBackendKind } from './kinds';
export {
  describeBackendProblem,
  parseBackendEntry,
  type BackendConfig,
  type BackendEntryProblem,
  type ParsedBackendEntry,
} from './settings';
export { BackendError, isBackendError, redactUrl, type BackendErrorKind } from './errors';
export type { Auth, FetchLike } from './http';
export { RECHECK_MARGIN_MS, TEMPO_QUERY_END_CUTOFF_MS, cutoffOf, mayLackRecent, recheckAt } from './cutoff';
export { FileBackend, type FileBackendOptions, type ReadFile } from './file/backend';
export { GrafanaBackend, grafanaProxyUrl, datasourceOf, type GrafanaBackendOptions } from './grafana/backend';
export { JaegerBackend, type JaegerBackendOptions } from './jaeger/backend';
export { ZipkinBackend, type ZipkinBackendOptions } from './zipkin/backend';
export * from './tempo/client';
export { nanosToMs, searchRow, searchRows } from './searchRows';

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

/** What a builder gets: the settings, and the HTTP options every HTTP backend shares. */
interface BuildInput {
  config: BackendConfig;
  deps: BackendDeps;
  /** Options of the HTTP backends: URL, name, auth, headers, deadlines, limits, cache budget. */
  http: {
    baseUrl: string;
    name: string;
    auth: Auth;
    headers?: Record<string, string>;
    timeoutMs?: number;
    fetch?: FetchLike;
    idleTimeoutMs?: number;
    maxBytes?: number;
    cacheMaxBytes?: number;
  };
  /** Tempo's tenant and format, for Tempo and Grafana. */
  tempo: { tenant?: string; format?: 'proto' | 'json' };
  /** Names the setting in messages about the URL. */
  wording: { urlSetting: string };
}

/** One builder per kind: a kind without one does not compile. */
const BUILDERS: { [K in BackendKind]: (input: BuildInput) => TraceBackend } = {
  tempo: ({ http, tempo, wording }) => new TempoClient({ ...http, ...tempo, wording }),
  grafana: ({ http, tempo, wording }) => new GrafanaBackend({ ...http, ...tempo, wording }),
  jaeger: ({ http, wording }) => new JaegerBackend({ ...http, wording }),
  zipkin: ({ http, wording }) => new ZipkinBackend({ ...http, wording }),
  file: ({ config, deps }) => {
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
      ...(deps.cacheMaxBytes !== undefined ? { cacheMaxBytes: deps.cacheMaxBytes } : {}),
    });
  },
};

/** Builds the backend `config` describes. Throws a `BackendError` ('bad-request') for bad settings. */
export function createBackend(
  config: BackendConfig,
  secrets: BackendSecrets = {},
  deps: BackendDeps = {},
): TraceBackend {
  // Settings are read from files a person (or a cloned repository) wrote: check the kind at run time too.
  if (!Object.hasOwn(BUILDERS, config.kind)) {
    throw new BackendError(
      'bad-request',
      `backend "${config.name}" has an unknown kind "${String(config.kind)}"`,
    );
  }
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
  const wording = { urlSetting: `the URL of backend "${config.name}"` };
  return BUILDERS[config.kind]({ config, deps, http, tempo, wording });
}
