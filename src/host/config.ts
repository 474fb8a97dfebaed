import * as vscode from 'vscode';
import type { BackendConfig, BackendKind } from '../core/backends';

const KINDS: readonly BackendKind[] = ['tempo', 'grafana', 'jaeger', 'zipkin', 'file'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/** A backend entry from `traceLens.backends`, validated; problems are collected, not thrown. */
function readBackend(raw: unknown, problems: string[]): BackendConfig | undefined {
  if (typeof raw !== 'object' || raw === null) {
    problems.push('an entry of traceLens.backends is not an object');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const name = typeof r.name === 'string' ? r.name.trim() : '';
  if (!name) {
    problems.push('an entry of traceLens.backends has no name');
    return undefined;
  }
  const kind = (typeof r.kind === 'string' ? r.kind : 'tempo') as BackendKind;
  if (!KINDS.includes(kind)) {
    problems.push(`backend "${name}": kind must be one of ${KINDS.join(', ')}`);
    return undefined;
  }
  const url = typeof r.url === 'string' ? r.url.trim() : '';
  if (!url) {
    problems.push(`backend "${name}" has no url`);
    return undefined;
  }
  const headers: Record<string, string> = {};
  if (typeof r.headers === 'object' && r.headers !== null) {
    for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) {
      if (HEADER_NAME.test(k) && typeof v === 'string' && !/[\r\n\0]/.test(v)) headers[k] = v;
      else problems.push(`backend "${name}": header "${k}" was ignored (bad name or value)`);
    }
  }
  return {
    name,
    kind,
    url,
    ...(typeof r.tenant === 'string' && r.tenant.trim() ? { tenant: r.tenant.trim() } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(r.format === 'json' || r.format === 'proto' ? { format: r.format } : {}),
  };
}

/** How bare (medium-confidence) trace IDs are treated in editors. */
export type BareIdMode = 'link' | 'hover' | 'off';

/**
 * Typed reads of the `traceLens.*` settings. Every getter reads the current value, so callers
 * never hold a stale copy; `onDidChange` tells them when to drop caches.
 */
export class Config {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when any `traceLens.*` setting changes. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('traceLens')) this.emitter.fire();
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('traceLens');
  }

  /** Tempo base URL with any path prefix, without a trailing slash. */
  get tempoUrl(): string {
    const raw = this.section.get<string>('tempo.url', 'http://127.0.0.1:3200').trim();
    return raw.replace(/\/+$/, '') || 'http://127.0.0.1:3200';
  }

  /** Tempo `X-Scope-OrgID` for the default backend (`a|b` for several tenants). */
  get tempoTenant(): string | undefined {
    const v = this.section.get<string>('tempo.tenant', '').trim();
    return v || undefined;
  }

  /** Trace-by-ID format for the default backend. */
  get tempoFormat(): 'proto' | 'json' {
    return this.section.get<string>('tempo.format', 'proto') === 'json' ? 'json' : 'proto';
  }

  /**
   * The backend to use: the entry of `traceLens.backends` named by `traceLens.defaultBackend`,
   * else the first entry, else Tempo at `traceLens.tempo.url`. Problems with the settings are
   * returned so the host can say what was ignored.
   */
  get backend(): { config: BackendConfig; problems: string[] } {
    const problems: string[] = [];
    const list = this.section.get<unknown[]>('backends', []);
    const entries = (Array.isArray(list) ? list : [])
      .map((b) => readBackend(b, problems))
      .filter((b) => b !== undefined);
    const wanted = this.section.get<string>('defaultBackend', '').trim();
    let chosen = wanted ? entries.find((b) => b.name === wanted) : entries[0];
    if (wanted && !chosen)
      problems.push(`traceLens.defaultBackend names "${wanted}", which is not in traceLens.backends`);
    chosen ??= {
      name: 'Tempo',
      kind: 'tempo',
      url: this.tempoUrl,
      format: this.tempoFormat,
      ...(this.tempoTenant ? { tenant: this.tempoTenant } : {}),
    };
    return { config: { ...chosen, timeoutMs: this.timeoutMs }, problems };
  }

  /** Every configured backend (the implicit Tempo one when the list is empty). */
  get backends(): BackendConfig[] {
    const problems: string[] = [];
    const list = this.section.get<unknown[]>('backends', []);
    const entries = (Array.isArray(list) ? list : [])
      .map((b) => readBackend(b, problems))
      .filter((b) => b !== undefined);
    return entries.length ? entries : [this.backend.config];
  }

  /** Overall deadline for one request, in milliseconds. */
  get timeoutMs(): number {
    const s = this.section.get<number>('tempo.timeoutSeconds', 30);
    return Number.isFinite(s) && s > 0 ? Math.min(s, 600) * 1000 : 30_000;
  }

  /** How bare 32-hex tokens are treated: links, hover only, or ignored. */
  get bareIds(): BareIdMode {
    const v = this.section.get<string>('detection.bareIds', 'hover');
    return v === 'link' || v === 'off' ? v : 'hover';
  }

  /** Grafana base URL for "Open in Grafana", or undefined when not set. */
  get grafanaUrl(): string | undefined {
    const v = this.section.get<string>('grafana.url', '').trim();
    return v ? v.replace(/\/+$/, '') : undefined;
  }

  /** UID of the Tempo datasource in Grafana. */
  get grafanaDatasourceUid(): string {
    return this.section.get<string>('grafana.datasourceUid', 'tempo').trim() || 'tempo';
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
