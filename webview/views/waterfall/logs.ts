/**
 * The "Logs" section of the span details: the local store's OTLP log records of the span and the
 * lines of workspace log files and open output that carry its ID (found by the host). Asked for
 * when the section is open, a moment after the selection settles (arrow keys move fast); a line
 * opens in an editor by the id the host gave it. Every text is set as text.
 */
import type { SpanLogLine, SpanLogRecord, TraceHandle } from '../../../src/shared/protocol';
import { el, icon } from '../../dom';
import { formatCount, formatDuration } from '../../format';
import type { HostApi, SpanLogs } from '../../hostApi';
import './logs.css';
import { S, fmt } from '../../l10n';

/** Wait this long after a selection before asking the host (it reads files). */
const SETTLE_MS = 200;

export class LogsSection {
  readonly element: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly content: HTMLDivElement;
  private handle: TraceHandle = '';
  private index = -1;
  /** Start of the span, ns from the trace start (record times are shown relative to it). */
  private spanStart = 0;
  private state: 'idle' | 'asked' | 'shown' = 'idle';
  private timer = 0;
  /** The person opened the section once: later spans ask at once. */
  private wanted = false;

  constructor(private readonly host: HostApi) {
    this.summary = el('summary', { text: S.logs });
    this.content = el('div', { class: 'tl-logs', attrs: { 'aria-live': 'polite' } });
    this.element = el('details', { class: 'tl-section', attrs: { 'data-section': 'logs' } }, [
      this.summary,
      this.content,
    ]);
    this.element.addEventListener('toggle', () => {
      this.wanted = this.element.open;
      if (this.element.open && this.state === 'idle') this.ask(0);
    });
  }

  /** The section for span `index` of trace `handle`, starting at `spanStartNs`. */
  sectionFor(handle: TraceHandle, index: number, spanStartNs: number): HTMLElement {
    if (handle !== this.handle || index !== this.index) {
      this.handle = handle;
      this.index = index;
      this.spanStart = spanStartNs;
      this.state = 'idle';
      this.summary.textContent = S.logs;
      this.content.replaceChildren(el('p', { class: 'tl-muted', text: S.logsOpenHint }));
      this.element.open = this.wanted;
      if (this.wanted) this.ask(SETTLE_MS);
    }
    return this.element;
  }

  private ask(delay: number): void {
    clearTimeout(this.timer);
    this.state = 'asked';
    this.content.replaceChildren(
      el('div', { class: 'tl-loading-inline', attrs: { role: 'status' } }, [
        icon('loading', 'codicon-modifier-spin'),
        el('span', { text: S.lookingForLogs }),
      ]),
    );
    const handle = this.handle;
    const index = this.index;
    this.timer = window.setTimeout(() => {
      if (handle === this.handle && index === this.index) this.host.requestLogs(handle, index);
    }, delay);
  }

  /** The host answered for span `index` of trace `handle`. */
  arrived(handle: TraceHandle, index: number, logs: SpanLogs): void {
    if (handle !== this.handle || index !== this.index) return;
    this.state = 'shown';
    const count = logs.records.length + logs.lines.length;
    this.summary.textContent = fmt(S.logsN, formatCount(count));
    const parts: HTMLElement[] = [];
    if (logs.records.length) {
      parts.push(el('div', { class: 'tl-logs-head', text: S.logRecords }));
      const list = el('ul', { class: 'tl-logs-list', attrs: { 'data-testid': 'log-records' } });
      for (const r of logs.records) list.append(this.record(r));
      parts.push(list);
    }
    if (logs.lines.length) {
      parts.push(el('div', { class: 'tl-logs-head', text: S.logLines }));
      const list = el('ul', { class: 'tl-logs-list', attrs: { 'data-testid': 'log-lines' } });
      for (const l of logs.lines) list.append(this.line(l));
      parts.push(list);
    }
    if (count === 0) {
      parts.push(
        el('p', {
          class: 'tl-muted',
          text: S.noLogs,
        }),
      );
    }
    for (const n of logs.notes) parts.push(el('p', { class: 'tl-muted', text: n }));
    this.content.replaceChildren(...parts);
  }

  private record(r: SpanLogRecord): HTMLElement {
    const sev = r.severity.toUpperCase();
    const tone = /ERROR|FATAL/.test(sev) ? ' tl-log-error' : /WARN/.test(sev) ? ' tl-log-warn' : '';
    return el('li', { class: `tl-log${tone}` }, [
      r.timeNs !== undefined
        ? el('span', {
            class: 'tl-log-time',
            text: `${r.timeNs >= this.spanStart ? '+' : '−'}${formatDuration(Math.abs(r.timeNs - this.spanStart))}`,
            title: S.logTimeTitle,
          })
        : null,
      sev ? el('span', { class: 'tl-log-sev', text: sev }) : null,
      el('span', { class: 'tl-log-body', text: r.body }),
    ]);
  }

  private line(l: SpanLogLine): HTMLElement {
    const open = el('button', {
      class: 'tl-log-where',
      text: l.where,
      title: fmt(S.openWhere, l.where),
      attrs: { type: 'button', 'data-testid': 'log-line-open' },
    });
    open.addEventListener('click', () => this.host.openLogLine(l.id));
    return el('li', { class: 'tl-log' }, [
      open,
      l.by === 'trace'
        ? el('span', {
            class: 'tl-log-by',
            text: S.logByTrace,
            title: S.logByTraceTitle,
          })
        : null,
      el('span', { class: 'tl-log-body', text: l.text }),
    ]);
  }
}
