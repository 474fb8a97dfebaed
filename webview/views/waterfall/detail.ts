/**
 * The span detail pane: facts from the columns at once, then attributes, events and links when the
 * host answers `getSpanDetail`. Every value from the trace is set as text.
 */
import {
  SpanFlag,
  type Attribute,
  type SpanDetail,
  type SpanEvent,
  type SpanLink,
} from '../../../src/shared/model';
import { SPAN_ID_HEX as HEX_16, TRACE_ID_HEX as HEX_32 } from '../../../src/shared/traceId';
import { el, icon, iconButton } from '../../dom';
import { formatDuration, formatPercent } from '../../format';
import { spanIdOf, spanName, spanService, type TraceData } from '../../trace';
import { PALETTE_SIZE } from '../../palette';
import { S, fmt } from '../../l10n';

/** What the pane asks its owner to do. */
export interface DetailActions {
  copy(text: string): void;
  openTrace(traceId: string, spanId?: string): void;
  goToSource(index: number): void;
  /** Opens frame `frameIndex` of the exception in event `eventIndex` (indexes into the detail). */
  openStackFrame(index: number, eventIndex: number, frameIndex: number): void;
  close(): void;
  /** Selects another span of this trace (the parent). */
  select(index: number): void;
  /** Further sections after the span's own (the Logs section), or nothing. */
  extraSection?(index: number): HTMLElement | undefined;
}

const KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];

function attrValue(v: Attribute['value']): HTMLElement {
  if (v === null) return el('span', { class: 'tl-attr-null', text: 'null' });
  if (typeof v === 'boolean' || typeof v === 'number')
    return el('span', { class: 'tl-attr-literal', text: String(v) });
  return el('span', { class: 'tl-attr-string', text: String(v) });
}

export class DetailPane {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly body: HTMLDivElement;
  private trace: TraceData | undefined;
  /** Span shown, or -1. */
  index = -1;

  constructor(private readonly actions: DetailActions) {
    this.title = el('h2', { class: 'tl-detail-title', text: S.spanDetail });
    const close = iconButton('close', S.closeDetail, () => this.actions.close());
    this.body = el('div', { class: 'tl-detail-body' });
    this.element = el(
      'aside',
      {
        class: 'tl-detail',
        attrs: { id: 'tl-detail', role: 'region', 'aria-label': S.spanDetail, tabindex: '-1' },
      },
      [el('div', { class: 'tl-detail-head' }, [this.title, close]), this.body],
    );
    this.showEmpty();
  }

  setTrace(t: TraceData): void {
    this.trace = t;
    this.index = -1;
    this.showEmpty();
  }

  showEmpty(): void {
    this.index = -1;
    this.title.textContent = S.spanDetail;
    this.body.replaceChildren(
      el('p', { class: 'tl-detail-empty', text: S.selectASpan }),
      el('p', {
        class: 'tl-detail-empty tl-hint',
        text: S.keysHelp,
      }),
    );
  }

  /** Shows what the columns know about span `i`; `detail` fills in the rest (undefined: still loading). */
  show(i: number, detail: SpanDetail | null | undefined): void {
    const t = this.trace;
    if (!t || i < 0 || i >= t.n) {
      this.showEmpty();
      return;
    }
    const scrollTop = this.index === i ? this.body.scrollTop : 0;
    this.index = i;
    const c = t.c;
    const name = spanName(t, i);
    const service = spanService(t, i);
    const flags = c.flags[i]!;
    const start = c.startNs[i]!;
    const dur = c.durationNs[i]!;
    this.title.textContent = name;
    this.title.title = name;

    const isError = (flags & SpanFlag.Error) !== 0 || c.status[i] === 2;
    const statusText =
      c.status[i] === 2
        ? S.statusError
        : c.status[i] === 1
          ? S.statusOk
          : isError
            ? S.statusErrorEvent
            : S.statusUnset;
    const svcSwatch = el('span', { class: 'tl-swatch', attrs: { 'aria-hidden': 'true' } });
    svcSwatch.style.setProperty('--svc', `var(--tl-svc-${c.service[i]! % PALETTE_SIZE})`);

    const parts: HTMLElement[] = [];
    const badges = el('div', { class: 'tl-badges' }, [
      el('span', { class: 'tl-badge tl-badge-service' }, [svcSwatch, el('span', { text: service })]),
      el('span', { class: 'tl-badge', text: KIND_NAMES[c.kind[i]!] ?? fmt(S.kindN, c.kind[i]!) }),
      el('span', { class: `tl-badge${isError ? ' tl-badge-error' : ''}`, text: statusText }),
      t.onCritical[i] ? el('span', { class: 'tl-badge tl-badge-critical', text: S.criticalPath }) : null,
    ]);
    parts.push(badges);
    if (detail?.statusMessage) {
      parts.push(
        el('div', { class: 'tl-status-message', attrs: { 'data-testid': 'status-message' } }, [
          icon('error'),
          el('span', { text: detail.statusMessage }),
        ]),
      );
    }
    const notes: string[] = [];
    if (flags & SpanFlag.Orphan) notes.push(S.orphanNote);
    if (flags & SpanFlag.ClockSkew) notes.push(S.skewNote);
    if (flags & SpanFlag.NegativeDuration) notes.push(S.negativeNote);
    if (flags & SpanFlag.CycleBroken) notes.push(S.cycleNote);
    for (const n of notes)
      parts.push(el('div', { class: 'tl-note' }, [icon('warning'), el('span', { text: n })]));

    if (flags & SpanFlag.HasCode) {
      const b = iconButton('go-to-file', S.goToSourceTitle, () => this.actions.goToSource(i), S.goToSource);
      b.classList.add('tl-primary');
      b.setAttribute('data-testid', 'go-to-source');
      parts.push(el('div', { class: 'tl-detail-actions' }, [b]));
    }

    const spanId = detail?.spanId && HEX_16.test(detail.spanId) ? detail.spanId : spanIdOf(t, i);
    const p = c.parent[i]!;
    const parentId = detail?.parentSpanId ?? (p >= 0 ? spanIdOf(t, p) : undefined);
    const self = t.selfTimeNs[i]!;
    const facts = el('dl', { class: 'tl-kv tl-facts-list' });
    const addFact = (k: string, v: HTMLElement | string, testId?: string) => {
      const dd = typeof v === 'string' ? el('dd', { text: v }) : el('dd', {}, [v]);
      if (testId) dd.setAttribute('data-testid', testId);
      facts.append(el('dt', { text: k }), dd);
    };
    addFact(S.start, fmt(S.fromTraceStart, formatDuration(start)), 'detail-start');
    addFact(S.duration, formatDuration(dur), 'detail-duration');
    addFact(S.selfTime, `${formatDuration(self)} (${formatPercent(self, dur || 1)})`, 'detail-self');
    addFact(S.spanId, this.idWithCopy(spanId, S.copySpanId), 'detail-span-id');
    if (parentId) {
      const box = this.idWithCopy(parentId, S.copyParentSpanId);
      if (p >= 0) {
        const go = iconButton('arrow-up', S.selectParent, () => this.actions.select(p));
        box.append(go);
      }
      addFact(S.parentId, box, 'detail-parent-id');
    }
    addFact(S.depth, String(c.depth[i]), 'detail-depth');
    addFact(S.children, String(c.childCount[i]), 'detail-children');
    parts.push(this.section(S.span, facts, 'overview'));

    if (detail === undefined) {
      parts.push(
        el('div', { class: 'tl-loading-inline', attrs: { role: 'status' } }, [
          icon('loading', 'codicon-modifier-spin'),
          el('span', { text: S.loadingAttributes }),
        ]),
      );
    } else if (detail === null) {
      parts.push(el('p', { class: 'tl-muted', text: S.noDetails }));
    } else if (detail.damaged) {
      parts.push(
        el(
          'div',
          { class: 'tl-note tl-damaged', attrs: { role: 'status', 'data-testid': 'detail-damaged' } },
          [icon('warning'), el('span', { text: detail.damaged })],
        ),
      );
    } else {
      parts.push(
        this.section(
          fmt(S.attributesN, detail.attributes.length),
          this.attrList(detail.attributes),
          'attributes',
        ),
      );
      parts.push(
        this.section(fmt(S.resourceN, detail.resource.length), this.attrList(detail.resource), 'resource'),
      );
      const scope = detail.scope;
      const scopeBox = el('div', {}, [
        el('div', {
          class: 'tl-scope-name',
          text: scope.name ? `${scope.name}${scope.version ? ` ${scope.version}` : ''}` : S.noScopeName,
        }),
        scope.attributes.length ? this.attrList(scope.attributes) : null,
      ]);
      parts.push(this.section(S.instrumentationScope, scopeBox, 'scope', scope.attributes.length === 0));
      if (detail.events.length)
        parts.push(
          this.section(
            fmt(S.eventsN, detail.events.length),
            this.events(detail.events, start, dur),
            'events',
          ),
        );
      if (detail.links.length)
        parts.push(this.section(fmt(S.linksN, detail.links.length), this.links(detail.links), 'links'));
    }
    const extra = this.actions.extraSection?.(i);
    if (extra) parts.push(extra);
    this.body.replaceChildren(...parts);
    this.body.scrollTop = scrollTop;
  }

  private idWithCopy(id: string, label: string): HTMLElement {
    return el('span', { class: 'tl-id' }, [
      el('code', { text: id }),
      iconButton('copy', label, () => this.actions.copy(id)),
    ]);
  }

  private section(title: string, content: HTMLElement, testId: string, collapsed = false): HTMLElement {
    const d = el('details', { class: 'tl-section', attrs: { 'data-section': testId } }, [
      el('summary', { text: title }),
      content,
    ]);
    d.open = !collapsed;
    return d;
  }

  private attrList(attrs: Attribute[]): HTMLElement {
    if (attrs.length === 0) return el('p', { class: 'tl-muted', text: S.none });
    const dl = el('dl', { class: 'tl-kv tl-attrs' });
    const sorted = [...attrs].sort((a, b) => String(a.key).localeCompare(String(b.key)));
    for (const a of sorted) {
      const key = String(a.key);
      const copy = iconButton('copy', fmt(S.copyValueOf, key), () =>
        this.actions.copy(a.value === null ? 'null' : String(a.value)),
      );
      copy.classList.add('tl-copy-hover');
      dl.append(el('dt', { text: key, title: key }), el('dd', {}, [attrValue(a.value), copy]));
    }
    return dl;
  }

  private events(events: SpanEvent[], spanStart: number, spanDur: number): HTMLElement {
    const sorted = [...events].sort((a, b) => a.timeNs - b.timeNs);
    const track = el('div', { class: 'tl-event-track', attrs: { 'aria-hidden': 'true' } });
    const list = el('ol', { class: 'tl-event-list' });
    sorted.forEach((ev, k) => {
      const isException = ev.name === 'exception';
      const get = (key: string) => ev.attributes.find((a) => a.key === key)?.value;
      const frac = spanDur > 0 ? Math.min(1, Math.max(0, (ev.timeNs - spanStart) / spanDur)) : 0;
      const dot = el('span', {
        class: `tl-event-dot${isException ? ' tl-event-exception' : ''}`,
        title: fmt(S.eventAt, ev.name, formatDuration(ev.timeNs - spanStart)),
      });
      dot.style.left = `${frac * 100}%`;
      dot.addEventListener('click', () => list.children[k]?.scrollIntoView({ block: 'nearest' }));
      track.append(dot);

      const head = el('div', { class: 'tl-event-head' }, [
        icon(isException ? 'error' : 'circle-filled', isException ? 'tl-event-icon-error' : 'tl-event-icon'),
        el('span', { class: 'tl-event-name', text: ev.name }),
        el('span', { class: 'tl-event-time', text: `+${formatDuration(ev.timeNs - spanStart)}` }),
      ]);
      const item = el('li', { class: `tl-event${isException ? ' tl-event-is-exception' : ''}` }, [head]);
      const shown = new Set<string>();
      if (isException) {
        const type = get('exception.type');
        const message = get('exception.message');
        const stack = get('exception.stacktrace');
        if (type != null || message != null) {
          item.append(
            el('div', { class: 'tl-exception' }, [
              type != null ? el('span', { class: 'tl-exception-type', text: String(type) }) : null,
              message != null ? el('span', { class: 'tl-exception-message', text: String(message) }) : null,
            ]),
          );
        }
        if (ev.frames?.length) item.append(this.frames(ev, events.indexOf(ev)));
        if (stack != null) item.append(el('pre', { class: 'tl-stack', text: String(stack) }));
        shown.add('exception.type').add('exception.message').add('exception.stacktrace');
      }
      const rest = ev.attributes.filter((a) => !shown.has(a.key));
      if (rest.length) item.append(this.attrList(rest));
      list.append(item);
    });
    return el('div', {}, [track, list]);
  }

  /** The parsed frames of an exception as links to the code; library frames are dimmed. */
  private frames(ev: SpanEvent, eventIndex: number): HTMLElement {
    const list = el('ol', { class: 'tl-frames', attrs: { 'aria-label': S.stackFrames } });
    (ev.frames ?? []).forEach((f, k) => {
      const where = `${f.file}${f.line !== undefined ? `:${f.line}` : ''}${f.column !== undefined ? `:${f.column}` : ''}`;
      const label = f.functionName ? `${f.functionName} (${where})` : where;
      const link = el('a', {
        class: `tl-frame${f.userCode ? '' : ' tl-frame-library'}`,
        text: label,
        title: f.userCode ? fmt(S.goToFrame, where) : fmt(S.libraryFrame, where),
        attrs: { href: '#', role: 'link', 'data-testid': 'stack-frame', 'data-frame-index': String(k) },
      });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        if (this.index >= 0) this.actions.openStackFrame(this.index, eventIndex, k);
      });
      list.append(el('li', {}, [link]));
    });
    return list;
  }

  private links(links: SpanLink[]): HTMLElement {
    const list = el('ul', { class: 'tl-links' });
    for (const l of links) {
      const traceId = String(l.traceId).toLowerCase();
      const spanId = String(l.spanId).toLowerCase();
      const valid = HEX_32.test(traceId);
      const item = el('li', { class: 'tl-link' }, [
        el('div', { class: 'tl-link-ids' }, [
          el('span', { class: 'tl-fact-label', text: S.trace }),
          el('code', { text: String(l.traceId) }),
          el('span', { class: 'tl-fact-label', text: S.span }),
          el('code', { text: String(l.spanId) }),
        ]),
      ]);
      if (valid) {
        const open = iconButton(
          'link-external',
          fmt(S.openTraceN, traceId),
          () => this.actions.openTrace(traceId, HEX_16.test(spanId) ? spanId : undefined),
          S.openTrace,
        );
        open.setAttribute('data-testid', 'open-link');
        item.append(open);
      } else {
        item.append(el('span', { class: 'tl-muted', text: S.notATraceId }));
      }
      if (l.attributes.length) item.append(this.attrList(l.attributes));
      list.append(item);
    }
    return list;
  }
}
