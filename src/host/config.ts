import { readFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { describeBackendProblem, parseBackendEntry, type BackendConfig } from '../core/backends';
import type { BareIdMode } from '../core/ids';
import { readReceiverSettings, type ReceiverSettings } from '../core/local';

/** The usable entries of `traceLens.backends`; what was wrong with the rest goes to `problems`. */
function readBackends(list: unknown, problems: string[]): BackendConfig[] {
  const entries: BackendConfig[] = [];
  for (const raw of Array.isArray(list) ? list : []) {
    const entry = parseBackendEntry(raw);
    for (const p of entry.problems) {
      problems.push(`${describeBackendProblem(p)}${entry.config ? '; it was ignored' : ''}`);
    }
    if (entry.config) entries.push(entry.config);
  }
  return entries;
}

/** The settings scope a value came from, most specific first as VS Code applies them. */
export type SettingsScope = 'folder' | 'workspace' | 'remote' | 'user' | 'default';

/** Which setting holds the default backend's URL, and the scope that set it. */
export interface BackendOrigin {
  setting: 'traceLens.backends' | 'traceLens.tempo.url';
  scope: SettingsScope;
}

/**
 * Typed reads of the `traceLens.*` settings. Every getter reads the current value, so callers
 * never hold a stale copy; `onDidChange` tells them when to drop caches.
 */
export class Config {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when any `traceLens.*` setting changes. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  /**
   * @param machineSettings In a remote window, the remote's `Machine/settings.json`: VS Code
   * reports its values and the user's alike as global, so this file tells "Remote" from "User".
   */
  constructor(private readonly machineSettings?: string) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('traceLens')) this.emitter.fire();
    });
  }

  /**
   * Where the default backend's URL was set: `traceLens.backends` when it has entries, else
   * `traceLens.tempo.url`, and the most specific scope that holds it. Errors name it, so a URL a
   * workspace or the remote's settings set is not hunted for in the user's settings.
   */
  get backendOrigin(): BackendOrigin {
    const s = this.section;
    const list = s.get<unknown>('backends', []);
    const key = Array.isArray(list) && list.length > 0 ? 'backends' : 'tempo.url';
    const setting = key === 'backends' ? 'traceLens.backends' : 'traceLens.tempo.url';
    const i = s.inspect<unknown>(key);
    let scope: SettingsScope = 'default';
    if (i?.workspaceFolderValue !== undefined) scope = 'folder';
    else if (i?.workspaceValue !== undefined) scope = 'workspace';
    else if (i?.globalValue !== undefined) scope = this.inMachineSettings(setting) ? 'remote' : 'user';
    return { setting, scope };
  }

  /** Whether the remote's machine settings file sets `setting` (read on demand: errors only). */
  private inMachineSettings(setting: string): boolean {
    if (!this.machineSettings) return false;
    try {
      const parsed: unknown = parseJsonc(readFileSync(this.machineSettings, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && setting in parsed;
    } catch {
      return false;
    }
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
    const entries = readBackends(this.section.get<unknown>('backends', []), problems);
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
    const entries = readBackends(this.section.get<unknown>('backends', []), []);
    return entries.length ? entries : [this.backend.config];
  }

  /**
   * Whether the person chose a backend: `traceLens.backends` or `traceLens.defaultBackend` set, or
   * `traceLens.tempo.url` changed from its default. Without a choice, Search and CodeLens ask the
   * local store once it holds traces.
   */
  get backendChosen(): boolean {
    const s = this.section;
    const list = s.get<unknown>('backends', []);
    return (
      (Array.isArray(list) && list.length > 0) ||
      s.get<string>('defaultBackend', '').trim() !== '' ||
      this.tempoUrl !== 'http://127.0.0.1:3200'
    );
  }

  /**
   * The local receiver's settings (`traceLens.receiver.*`). The bind address comes from user
   * settings only; what was wrong or ignored goes to `problems`.
   */
  get receiver(): { settings: ReceiverSettings; problems: string[] } {
    const s = vscode.workspace.getConfiguration('traceLens.receiver');
    return readReceiverSettings({
      enabled: s.get<unknown>('enabled'),
      httpPort: s.get<unknown>('httpPort'),
      grpcPort: s.get<unknown>('grpcPort'),
      queryPort: s.get<unknown>('queryPort'),
      bindAddress: s.inspect<unknown>('bindAddress'),
      injectDebugEnv: s.get<unknown>('injectDebugEnv'),
      injectTerminalEnv: s.get<unknown>('injectTerminalEnv'),
    });
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
