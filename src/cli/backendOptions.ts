/**
 * The backend a command talks to (`show <id>`, `search`), from `--tempo URL` or `--backend NAME`
 * with `--tenant`, `--token-env` and `--trust-workspace-settings`, under one set of rules: a
 * backend only a folder's settings define gets none of the user's credentials, and a note names
 * the settings file a backend came from.
 */
import { readFileSync } from 'node:fs';
import { createBackend, redactUrl, type BackendConfig, type TraceBackend } from '../core/backends';
import { CliError, EXIT, type CliContext, type OptionSpecs, type OptionValues } from './command';
import { findBackend, settingsFiles, withoutCredentials } from './settings';

/** The options that choose a backend and what it is sent. */
export const BACKEND_OPTIONS = {
  tempo: { type: 'string' },
  backend: { type: 'string' },
  tenant: { type: 'string' },
  'token-env': { type: 'string' },
  'trust-workspace-settings': { type: 'boolean' },
} as const satisfies OptionSpecs;

/** What `backendFrom` reads: the backend options, and `format` for commands that take it. */
export type BackendValues = OptionValues<typeof BACKEND_OPTIONS> & { format?: string };

/** Where `--backend NAME` is looked up, and how a folder's backend is treated (for usage notes). */
export const BACKEND_NOTES = `Backends (--backend NAME) come from traceLens.backends in your own settings first
(TRACE_LENS_SETTINGS, then VS Code's user settings), then from .vscode/settings.json here or
above. A backend only a folder's settings define gets no token, headers or tenant unless you
pass --trust-workspace-settings.`;

/** The named or given backend's settings, with a note saying which settings file defined it. */
function backendConfig(values: BackendValues, ctx: CliContext, hasToken: boolean): BackendConfig {
  const named = values.backend;
  if (named && values.tempo !== undefined)
    throw new CliError(EXIT.usage, 'use --backend or --tempo, not both');
  if (!named) {
    return {
      name: 'Tempo',
      kind: 'tempo',
      url: values.tempo ?? ctx.env.TRACE_LENS_TEMPO_URL ?? 'http://127.0.0.1:3200',
    };
  }
  let found;
  try {
    found = findBackend(named, settingsFiles(ctx.cwd, ctx.env));
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
  const { config, file } = found;
  if (file.owner === 'user' || values['trust-workspace-settings']) {
    ctx.note(`trace-lens: backend "${named}" from ${file.path}`);
    return config;
  }
  // A cloned repository chose this URL: it gets nothing of the user's, and none of its own headers.
  const where = `backend "${named}" is defined only by ${file.path}, a folder's settings, not yours`;
  const how = `define it in TRACE_LENS_SETTINGS or your VS Code user settings, or pass --trust-workspace-settings if you trust this folder`;
  if (hasToken) {
    throw new CliError(
      EXIT.usage,
      `${where}; refusing to send your token to ${redactUrl(config.url)}: ${how}`,
    );
  }
  ctx.note(
    `trace-lens: ${where}; sending no credentials, headers or tenant to ${redactUrl(config.url)} (${how})`,
  );
  return withoutCredentials(config);
}

/** The backend `values` choose (default: Tempo at $TRACE_LENS_TEMPO_URL or 127.0.0.1:3200). */
export function backendFrom(values: BackendValues, ctx: CliContext): TraceBackend {
  return chooseBackend(values, ctx).backend;
}

/** `backendFrom`, with the settings it was built from (what `mcp` names it by, without credentials). */
export function chooseBackend(
  values: BackendValues,
  ctx: CliContext,
): { backend: TraceBackend; config: BackendConfig } {
  const format = values.format;
  if (format !== undefined && format !== 'json' && format !== 'proto') {
    throw new CliError(EXIT.usage, '--format must be json or proto');
  }
  const tokenEnv = values['token-env'];
  let token: string | undefined;
  if (tokenEnv) {
    token = ctx.env[tokenEnv];
    if (!token) throw new CliError(EXIT.usage, `environment variable ${tokenEnv} is empty or not set`);
  }
  const tenant = values.tenant;
  let config = backendConfig(values, ctx, token !== undefined);
  if (tenant) config = { ...config, tenant };
  if (format) config = { ...config, format };
  try {
    const backend = createBackend(config, token ? { token } : {}, {
      readFile: async (path) => new Uint8Array(readFileSync(path)),
    });
    return { backend, config };
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
}

/** Refuses more than one of `--store`, `--tempo` and `--backend`: each names where traces come from. */
export function oneSource(values: { store?: string; tempo?: string; backend?: string }): void {
  const given = (['store', 'tempo', 'backend'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) {
    throw new CliError(
      EXIT.usage,
      `use one of --store, --tempo and --backend, not ${given.map((k) => `--${k}`).join(' and ')}`,
    );
  }
}
