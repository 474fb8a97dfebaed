import * as vscode from 'vscode';

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
