import * as vscode from 'vscode';

const KEY = 'traceLens.queryBackend';

/** Where Search and CodeLens look: the person's choice ("Search In…"), per workspace. */
export class QueryChoice implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the choice changed (what CodeLens shows must follow it at once). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get(): 'local' | 'configured' | 'auto' {
    const v = this.state.get<unknown>(KEY);
    return v === 'local' || v === 'configured' ? v : 'auto';
  }

  async set(value: 'local' | 'configured' | 'auto'): Promise<void> {
    const before = this.get();
    await this.state.update(KEY, value === 'auto' ? undefined : value);
    if (value !== before) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
