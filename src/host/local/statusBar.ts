import * as vscode from 'vscode';
import { receiverStatusText, type StatusText } from '../../core/local';
import { Commands } from '../commandIds';
import type { LocalReceiver } from './receiver';

/** Context key with the receiver's state (`receiving`, `port-taken`, `off`…), for menus. */
export const STATE_KEY = 'traceLens.receiverState';

/**
 * The status bar item of the local receiver: receiving (with the traces and spans held), port
 * taken, starting, off or failed. A click opens the receiver's menu.
 */
export class ReceiverStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  private last: StatusText | undefined;

  constructor(private readonly receiver: LocalReceiver) {
    this.item = vscode.window.createStatusBarItem('traceLens.receiver', vscode.StatusBarAlignment.Right, 50);
    this.item.name = vscode.l10n.t('Trace Lens Receiver');
    this.item.command = Commands.receiverMenu;
    this.subscriptions = [this.item, receiver.onDidChange(() => this.update())];
    this.update();
    this.item.show();
  }

  /** What the item shows now (for the in-host tests). */
  get shown(): StatusText | undefined {
    return this.last;
  }

  private update(): void {
    const s = receiverStatusText(this.receiver.view());
    this.last = s;
    this.item.text = s.text;
    // Plain text: a tooltip string is not Markdown, so nothing in it becomes a link.
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor = s.warning
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    void vscode.commands.executeCommand('setContext', STATE_KEY, s.state);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
