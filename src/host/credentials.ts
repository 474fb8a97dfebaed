import type * as vscode from 'vscode';
import type { BackendConfig, BackendSecrets } from '../core/backends';

/**
 * Credentials live in VS Code's SecretStorage, never in settings or logs. Each is stored under
 * the backend's name AND its URL's origin, so pointing a backend at another server (a changed
 * setting, a cloned repository's settings) never sends the stored secret there.
 */
export class Credentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private static key(config: BackendConfig): string | undefined {
    try {
      const origin = config.kind === 'file' ? 'file' : new URL(config.url).origin;
      return `traceLens.credentials:${config.name}:${origin}`;
    } catch {
      return undefined;
    }
  }

  async get(config: BackendConfig): Promise<BackendSecrets> {
    const key = Credentials.key(config);
    if (!key) return {};
    const raw = await this.secrets.get(key);
    if (!raw) return {};
    try {
      const v = JSON.parse(raw) as Record<string, unknown>;
      const out: BackendSecrets = {};
      if (typeof v.user === 'string' && v.user) out.user = v.user;
      if (typeof v.token === 'string' && v.token) out.token = v.token;
      if (typeof v.password === 'string' && v.password) out.password = v.password;
      return out;
    } catch {
      return {};
    }
  }

  async set(config: BackendConfig, value: BackendSecrets): Promise<void> {
    const key = Credentials.key(config);
    if (!key) throw new Error(`backend "${config.name}" has no valid URL`);
    if (!value.user && !value.token && !value.password) await this.secrets.delete(key);
    else await this.secrets.store(key, JSON.stringify(value));
  }

  /** Fires when any secret changes (in this or another window). */
  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.secrets.onDidChange;
  }
}
