/**
 * The `OTEL_*` variables that point a program's OpenTelemetry SDK at the local receiver: what the
 * debug configuration provider adds to a launch's `env`, what new integrated terminals get, and
 * what "Copy OTEL_* Variables" puts on the clipboard. Pure.
 *
 * The rules, in order:
 * - a variable the launch sets (in `env`, even to null or "", or in its `envFile`) or that the
 *   program inherits from VS Code's own environment is never replaced;
 * - when the launch already chose an endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`), its telemetry goes
 *   where it said: nothing is added at all;
 * - when it chose only a protocol, the endpoint that speaks it is added (gRPC or HTTP), or nothing
 *   when the receiver does not speak it;
 * - `OTEL_SERVICE_NAME` (from the launch's name) is left out when `OTEL_RESOURCE_ATTRIBUTES`
 *   names a `service.name`, which it would override;
 * - metrics are turned off (`OTEL_METRICS_EXPORTER=none`, the receiver keeps traces and logs
 *   only) unless the launch sends them somewhere of its own.
 */

/** Where the receiver listens. */
export interface OtelTarget {
  /** OTLP/HTTP endpoint, `http://127.0.0.1:4318`. */
  httpUrl: string;
  /** OTLP/gRPC endpoint, `http://127.0.0.1:4317`, when it listens for gRPC. */
  grpcUrl?: string;
}

/** An environment as launches write it: js-debug reads a null value as "remove the variable". */
export type EnvLike = Readonly<Record<string, string | null | undefined>>;

/** What the program gets already, besides what is added. */
export interface ExistingEnv {
  /** The launch configuration's `env`. */
  launch?: EnvLike;
  /** Names the launch's `envFile` sets. */
  envFile?: ReadonlySet<string>;
  /** The environment a launched program or a new terminal inherits (VS Code's own). */
  inherited?: EnvLike;
}

export const OTEL_ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';
export const OTEL_PROTOCOL = 'OTEL_EXPORTER_OTLP_PROTOCOL';
export const OTEL_SERVICE_NAME = 'OTEL_SERVICE_NAME';

/** Longest service name taken from a launch's name. */
const MAX_SERVICE_NAME = 100;

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/** Looks a variable up case-insensitively (Windows' environment is; a miss there would override). */
function lookup(env: EnvLike | undefined, key: string): { found: boolean; value?: string } {
  if (!env) return { found: false };
  const upper = key.toUpperCase();
  for (const k of Object.keys(env)) {
    if (k.toUpperCase() !== upper) continue;
    const v = env[k];
    return typeof v === 'string' ? { found: true, value: v } : { found: true };
  }
  return { found: false };
}

/** The service name a launch's name gives: one line, trimmed, cut; undefined when nothing is left. */
export function serviceNameFromLaunch(name: string | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  const flat = name.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return flat ? flat.slice(0, MAX_SERVICE_NAME).trimEnd() : undefined;
}

/**
 * The variables to add so the program sends its traces and logs to the receiver, following the
 * rules above; empty when the program already sends them elsewhere.
 */
export function otelEnvAdditions(
  target: OtelTarget,
  existing: ExistingEnv,
  serviceName?: string,
): Record<string, string> {
  const inLaunch = (key: string) => lookup(existing.launch, key);
  const inFile = (key: string) => {
    const upper = key.toUpperCase();
    for (const k of existing.envFile ?? []) if (k.toUpperCase() === upper) return true;
    return false;
  };
  const inherited = (key: string) => {
    const hit = lookup(existing.inherited, key);
    // An empty inherited variable is as good as none: SDKs read "" as unset.
    return hit.found && hit.value !== undefined && hit.value !== '';
  };
  const has = (key: string) => inLaunch(key).found || inFile(key) || inherited(key);
  /** The value the program will see, when it can be known (the envFile's is not read). */
  const valueOf = (key: string): string | undefined =>
    inLaunch(key).found
      ? inLaunch(key).value
      : inFile(key)
        ? undefined
        : lookup(existing.inherited, key).value;

  const out: Record<string, string> = {};
  if (has(OTEL_ENDPOINT)) return out;
  if (has(OTEL_PROTOCOL)) {
    const protocol = valueOf(OTEL_PROTOCOL)?.trim().toLowerCase();
    if (protocol === 'grpc' && target.grpcUrl) out[OTEL_ENDPOINT] = target.grpcUrl;
    else if (protocol === 'http/protobuf' || protocol === 'http/json') out[OTEL_ENDPOINT] = target.httpUrl;
    else return out;
  } else {
    out[OTEL_ENDPOINT] = target.httpUrl;
    out[OTEL_PROTOCOL] = 'http/protobuf';
  }
  if (!has('OTEL_TRACES_EXPORTER')) out.OTEL_TRACES_EXPORTER = 'otlp';
  if (!has('OTEL_LOGS_EXPORTER')) out.OTEL_LOGS_EXPORTER = 'otlp';
  if (!has('OTEL_METRICS_EXPORTER') && !has('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'))
    out.OTEL_METRICS_EXPORTER = 'none';
  const name = serviceNameFromLaunch(serviceName);
  const attributes = valueOf('OTEL_RESOURCE_ATTRIBUTES') ?? '';
  const namedByAttributes = /(^|,)\s*service\.name\s*=/.test(attributes);
  if (name && !has(OTEL_SERVICE_NAME) && !namedByAttributes) out[OTEL_SERVICE_NAME] = name;
  return out;
}

/**
 * The names an env file sets (`KEY=value`, `export KEY=value`; `#` comments), as launches'
 * `envFile` reads them. Values are not needed: a name set there is never replaced.
 */
export function envFileNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=/.exec(raw);
    if (m) names.add(m[1]!);
  }
  return names;
}

/** Shell syntax for setting variables. */
export type ShellKind = 'posix' | 'powershell' | 'cmd';

/** Lines that set `vars` in a shell, values quoted so nothing in them is expanded. */
export function envScript(vars: Readonly<Record<string, string>>, shell: ShellKind): string {
  const lines = Object.entries(vars).map(([k, v]) => {
    switch (shell) {
      case 'posix':
        return `export ${k}='${v.replace(/'/g, `'\\''`)}'`;
      case 'powershell':
        return `$env:${k} = '${v.replace(/'/g, "''")}'`;
      case 'cmd':
        return `set "${k}=${v.replace(/"/g, '')}"`;
    }
  });
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Debug types whose launches start a browser or an editor, not a program that exports OTLP. */
const NO_PROGRAM_TYPES = new Set([
  'chrome',
  'pwa-chrome',
  'msedge',
  'pwa-msedge',
  'extensionHost',
  'pwa-extensionHost',
]);

/** Whether a debug configuration launches a program whose environment Trace Lens may add to. */
export function launchesProgram(config: {
  type?: unknown;
  request?: unknown;
  env?: unknown;
  __pendingTargetId?: unknown;
}): boolean {
  if (config.request !== 'launch' || typeof config.type !== 'string' || config.type === '') return false;
  if (NO_PROGRAM_TYPES.has(config.type)) return false;
  // js-debug's child session of a launch it started already: the process has its environment.
  if ('__pendingTargetId' in config) return false;
  // An env that is not a plain object is the adapter's own business.
  return (
    config.env === undefined ||
    (typeof config.env === 'object' && config.env !== null && !Array.isArray(config.env))
  );
}
