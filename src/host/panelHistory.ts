/**
 * A trace panel's back/forward history, as a browser tab keeps one: the subjects the panel
 * showed, with the span selected in each when the person left it. Pure: no `vscode`.
 */
import type { PanelHistoryState, PanelSubject } from '../shared/protocol';

/** One place in the history. */
export interface HistoryEntry {
  subject: PanelSubject;
  /** The span to select on coming back (the one selected when the person left). */
  spanId?: string;
}

/** Entries kept; the oldest go first. */
export const MAX_HISTORY = 50;

export class PanelHistory {
  private readonly entries: HistoryEntry[];
  private at = 0;

  constructor(first: HistoryEntry) {
    this.entries = [first];
  }

  get current(): HistoryEntry {
    return this.entries[this.at]!;
  }

  get length(): number {
    return this.entries.length;
  }

  get state(): PanelHistoryState {
    return { back: this.at > 0, forward: this.at < this.entries.length - 1 };
  }

  /** The entry `delta` steps away, if there is one. */
  peek(delta: -1 | 1): HistoryEntry | undefined {
    return this.entries[this.at + delta];
  }

  /** Goes to a new entry: forward entries are dropped. `leftAt`: the span selected where we were. */
  push(entry: HistoryEntry, leftAt: string | undefined): void {
    this.remember(leftAt);
    this.entries.splice(this.at + 1);
    this.entries.push(entry);
    if (this.entries.length > MAX_HISTORY) this.entries.shift();
    this.at = this.entries.length - 1;
  }

  /** Moves `delta` steps (when there is an entry there). */
  move(delta: -1 | 1, leftAt: string | undefined): void {
    if (!this.peek(delta)) return;
    this.remember(leftAt);
    this.at += delta;
  }

  private remember(spanId: string | undefined): void {
    const cur = this.entries[this.at]!;
    if (spanId) cur.spanId = spanId;
  }
}
