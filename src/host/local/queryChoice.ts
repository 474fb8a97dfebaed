import type * as vscode from 'vscode';

const KEY = 'traceLens.queryBackend';

/** Where Search and CodeLens look: the person's choice ("Search In…"), per workspace. */
export class QueryChoice {
  constructor(private readonly state: vscode.Memento) {}

  get(): 'local' | 'configured' | 'auto' {
    const v = this.state.get<unknown>(KEY);
    return v === 'local' || v === 'configured' ? v : 'auto';
  }

  async set(value: 'local' | 'configured' | 'auto'): Promise<void> {
    await this.state.update(KEY, value === 'auto' ? undefined : value);
  }
}
