/**
 * The webview's end of the host channel: reads what the host posts (defensively: a malformed
 * message is dropped, a detail is made safe to render), numbers requests, keeps recent span
 * details, and posts the webview's messages. No DOM: it runs in plain Node with a fake `VsCodeApi`.
 */
import type { SpanDetail, StackFrameRef } from '../src/shared/model';
import {
  parseWebviewSubject,
  type HostMessage,
  parsePanelLayout,
  type PanelHistoryState,
  type PanelLayout,
  type PanelSubject,
  type SpanTextColumns,
  type SearchPayload,
  type TraceEntry,
  type OperationComparison,
  type SpanLogLine,
  type SpanLogRecord,
  type TraceHandle,
  type TraceRef,
  type WebviewMessage,
  type WireComparison,
  type WebviewSubject,
} from '../src/shared/protocol';
import { readSearch } from '../src/shared/searchPayload';
import { S } from './l10n';

/** The object `acquireVsCodeApi()` returns. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the host tells the webview, after `readHostMessage` checked it. */
export interface HostHandlers {
  /**
   * The reply to `ready`: the subject, the traces that have loaded, the panel's history and the
   * pane sizes last chosen in this workspace.
   */
  init(
    subject: WebviewSubject | undefined,
    traces: TraceEntry[],
    panel: { history: PanelHistoryState; layout?: PanelLayout },
  ): void;
  /** A search and its results (a search webview's only content). */
  search(search: SearchPayload): void;
  /** A new version of one trace. */
  trace(entry: TraceEntry): void;
  loading(handle: TraceHandle | undefined, traceId: string | undefined): void;
  error(message: string, handle: TraceHandle | undefined): void;
  selectSpan(handle: TraceHandle, spanId: string): void;
  /** The detail of a span arrived (the answer to the latest request only). */
  spanDetail(handle: TraceHandle, index: number, detail: SpanDetail | null): void;
  /** The searchable texts of trace `handle`'s spans arrived (checked: offsets and refs in range). */
  spanText?(handle: TraceHandle, text: SpanTextColumns | null): void;
  /** The comparison of a compare panel's traces arrived (again). */
  comparison?(comparison: WireComparison): void;
  /** The logs of a span arrived (the answer to the latest request only). */
  spanLogs?(handle: TraceHandle, index: number, logs: SpanLogs): void;
}

/** Span texts from the host, or null when they are malformed (a ref or offset out of range). */
export function readSpanText(v: unknown): SpanTextColumns | null {
  if (!isObject(v) || !Array.isArray(v.strings)) return null;
  const strings = v.strings.map((x) => (typeof x === 'string' ? x : String(x)));
  const offsets = v.offsets instanceof Uint32Array ? v.offsets : undefined;
  const refs = v.refs instanceof Uint32Array ? v.refs : undefined;
  if (!offsets || !refs || offsets.length === 0) return null;
  let prev = 0;
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    if (o < prev || o > refs.length) return null;
    prev = o;
  }
  for (let k = 0; k < refs.length; k++) if (refs[k]! >= strings.length) return null;
  return { strings, offsets, refs };
}

/** What `spanLogs` carries, checked. */
export interface SpanLogs {
  records: SpanLogRecord[];
  lines: SpanLogLine[];
  notes: string[];
}

/** Details kept for spans looked at recently, per trace. */
const DETAIL_CACHE = 64;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isHandle = (v: unknown): v is TraceHandle => typeof v === 'string' && v !== '';

/** A trace entry from the host, or undefined when it is not one. */
function readEntry(v: unknown): TraceEntry | undefined {
  if (!isObject(v) || !isHandle(v.handle) || !isObject(v.trace) || !isObject(v.trace.model)) return undefined;
  return {
    handle: v.handle,
    trace: v.trace as unknown as TraceEntry['trace'],
    ...(typeof v.selectSpanId === 'string' ? { selectSpanId: v.selectSpanId } : {}),
  };
}

export class HostApi {
  private nextRequestId = 1;
  private pendingDetail: { requestId: number; handle: TraceHandle; index: number } | undefined;
  private readonly details = new Map<TraceHandle, Map<number, SpanDetail | null>>();
  /** The open `getSpanText` request per trace. */
  private readonly pendingText = new Map<TraceHandle, number>();
  private pendingLogs: { requestId: number; handle: TraceHandle; index: number } | undefined;

  constructor(
    private readonly api: VsCodeApi,
    private readonly on: HostHandlers,
  ) {}

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Tells the host the webview is ready; it answers with `init`. */
  ready(): void {
    this.post({ type: 'ready', requestId: this.nextRequestId++ });
  }

  /** Handles a message from the host. Unknown or malformed messages are ignored. */
  receive(raw: unknown): void {
    if (!isObject(raw) || typeof raw.type !== 'string') return;
    const msg = raw as unknown as HostMessage;
    switch (msg.type) {
      case 'init': {
        const m = raw as Record<string, unknown>;
        const traces = Array.isArray(m.traces) ? m.traces.map(readEntry) : [];
        if (traces.some((e) => e === undefined)) {
          this.on.error(S.unreadableTrace, undefined);
          return;
        }
        const h = isObject(m.history) ? m.history : {};
        const layout = parsePanelLayout(m.layout);
        this.on.init(parseWebviewSubject(m.subject), traces as TraceEntry[], {
          history: { back: h.back === true, forward: h.forward === true },
          ...(layout ? { layout } : {}),
        });
        return;
      }
      case 'trace': {
        const entry = readEntry(raw);
        if (entry) this.on.trace(entry);
        else this.on.error(S.unreadableTrace, undefined);
        return;
      }
      case 'loading':
        this.on.loading(
          isHandle(msg.handle) ? msg.handle : undefined,
          typeof msg.traceId === 'string' ? msg.traceId : undefined,
        );
        return;
      case 'error':
        this.on.error(
          typeof msg.message === 'string' ? msg.message : S.traceNotLoaded,
          isHandle(msg.handle) ? msg.handle : undefined,
        );
        return;
      case 'spanDetail':
        this.onSpanDetail(msg.inReplyTo, msg.detail);
        return;
      case 'spanText': {
        const pending = this.pendingText.get(msg.handle);
        if (pending === undefined || pending !== msg.inReplyTo) return; // not the latest request
        this.pendingText.delete(msg.handle);
        this.on.spanText?.(msg.handle, readSpanText(msg.text));
        return;
      }
      case 'selectSpan':
        if (isHandle(msg.handle) && typeof msg.spanId === 'string')
          this.on.selectSpan(msg.handle, msg.spanId);
        return;
      case 'comparison': {
        const c = readComparison(msg.comparison);
        if (c) this.on.comparison?.(c);
        return;
      }
      case 'spanLogs': {
        const p = this.pendingLogs;
        if (!p || p.requestId !== msg.inReplyTo) return;
        this.pendingLogs = undefined;
        this.on.spanLogs?.(p.handle, p.index, readLogs(raw as Record<string, unknown>));
        return;
      }
      case 'search': {
        const search = readSearch(msg.search);
        if (search) this.on.search(search);
        return;
      }
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /**
   * The detail of span `index` of trace `handle`: cached (null when the host has none), or
   * undefined after asking the host, which answers through `HostHandlers.spanDetail`.
   */
  detail(handle: TraceHandle, index: number): SpanDetail | null | undefined {
    const cached = this.details.get(handle)?.get(index);
    if (cached !== undefined) return cached;
    const requestId = this.nextRequestId++;
    this.pendingDetail = { requestId, handle, index };
    this.post({ type: 'getSpanDetail', requestId, handle, index });
    return undefined;
  }

  /** Asks for the searchable texts of trace `handle`'s spans (once while a request is open). */
  requestSpanText(handle: TraceHandle): void {
    if (this.pendingText.has(handle)) return;
    const requestId = this.nextRequestId++;
    this.pendingText.set(handle, requestId);
    this.post({ type: 'getSpanText', requestId, handle });
  }

  /** Forgets the details of trace `handle` (a new version of it arrived). */
  forget(handle: TraceHandle): void {
    this.details.delete(handle);
    this.pendingText.delete(handle);
    if (this.pendingDetail?.handle === handle) this.pendingDetail = undefined;
  }

  private onSpanDetail(inReplyTo: unknown, detail: unknown): void {
    const p = this.pendingDetail;
    // Only the latest request counts: an older answer is for a span no longer asked about.
    if (!p || p.requestId !== inReplyTo) return;
    this.pendingDetail = undefined;
    const d = isObject(detail) ? normaliseDetail(detail as unknown as SpanDetail) : null;
    let cache = this.details.get(p.handle);
    if (!cache) this.details.set(p.handle, (cache = new Map()));
    cache.set(p.index, d);
    if (cache.size > DETAIL_CACHE) cache.delete(cache.keys().next().value!);
    this.on.spanDetail(p.handle, p.index, d);
  }

  copy(text: string): void {
    this.post({ type: 'copy', text });
  }

  openTrace(traceId: string, spanId?: string): void {
    this.post({ type: 'openTrace', traceId, ...(spanId ? { spanId } : {}) });
  }

  goToSource(handle: TraceHandle, index: number): void {
    this.post({ type: 'goToSource', handle, index });
  }

  openStackFrame(handle: TraceHandle, index: number, eventIndex: number, frameIndex: number): void {
    this.post({ type: 'openStackFrame', handle, index, eventIndex, frameIndex });
  }

  openInGrafana(handle: TraceHandle): void {
    this.post({ type: 'openInGrafana', handle });
  }

  refresh(): void {
    this.post({ type: 'refresh' });
  }

  /** Asks the host to save trace `handle` as OTLP/JSON (it asks the person where). */
  saveTrace(handle: TraceHandle): void {
    this.post({ type: 'saveTrace', handle });
  }

  /**
   * The panel's history seam: shows `subject` in this panel (selecting `spanId` in its first
   * trace) and pushes it on the panel's back/forward history, so Alt+← returns here with the
   * current selection. A view that moves the panel (a comparison, a jump from a log line to its
   * trace) calls this; the host reloads the webview with the new subject.
   */
  navigate(subject: PanelSubject, spanId?: string): void {
    this.post({ type: 'navigate', subject, ...(spanId ? { spanId } : {}) });
  }

  /** The person resized a pane: the host remembers the sizes for this workspace. */
  saveLayout(layout: PanelLayout): void {
    this.post({ type: 'saveLayout', layout });
  }

  /** Goes back (`-1`) or forward (`1`) in the panel's history. */
  history(delta: -1 | 1): void {
    this.post({ type: 'history', delta });
  }

  /** Asks for the logs of span `index` of trace `handle`; the answer comes through `HostHandlers.spanLogs`. */
  requestLogs(handle: TraceHandle, index: number): void {
    const requestId = this.nextRequestId++;
    this.pendingLogs = { requestId, handle, index };
    this.post({ type: 'getSpanLogs', requestId, handle, index });
  }

  /** Opens a log line the host listed. */
  openLogLine(id: number): void {
    this.post({ type: 'openLogLine', id });
  }

  /** Asks the host to compare trace `handle` with one the person picks. */
  compareWith(handle: TraceHandle): void {
    this.post({ type: 'compareWith', handle });
  }

  /** Opens the setting that holds the backend's URL (an error's button). */
  openBackendSetting(): void {
    this.post({ type: 'openBackendSetting' });
  }

  /** Runs Test Connection (an error's button). */
  testConnection(): void {
    this.post({ type: 'testConnection' });
  }

  /** Compare trace `a` with trace `b` (the host runs the comparison command). */
  compareTraces(a: TraceRef, b: TraceRef): void {
    this.post({ type: 'compareTraces', a, b });
  }

  /** The selection changed (`index` -1: nothing is selected). */
  selectionChanged(handle: TraceHandle, index: number): void {
    this.post({ type: 'selectionChanged', handle, index: index >= 0 ? index : null });
  }
}

/** Stack frames from the host, every field of the right type (at most 200 kept). */
function normaliseFrames(v: unknown): StackFrameRef[] {
  if (!Array.isArray(v)) return [];
  const num = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined);
  return v
    .slice(0, 200)
    .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
    .map((f) => {
      const line = num(f.line);
      const column = num(f.column);
      return {
        file: String(f.file ?? ''),
        ...(line !== undefined ? { line } : {}),
        ...(column !== undefined ? { column } : {}),
        ...(typeof f.functionName === 'string' && f.functionName ? { functionName: f.functionName } : {}),
        userCode: f.userCode === true,
      };
    });
}

/** Makes a detail from the host safe to render: every list present, every text a string. */
export function normaliseDetail(d: SpanDetail): SpanDetail {
  const attrs = (v: unknown) =>
    Array.isArray(v)
      ? v
          .filter((a): a is { key: unknown; value: unknown } => typeof a === 'object' && a !== null)
          .map((a) => ({
            key: String(a.key),
            value:
              a.value === null || typeof a.value === 'number' || typeof a.value === 'boolean'
                ? a.value
                : String(a.value),
          }))
      : [];
  const scope = (d.scope ?? {}) as Partial<SpanDetail['scope']>;
  return {
    index: Number(d.index),
    spanId: String(d.spanId ?? ''),
    ...(d.parentSpanId != null ? { parentSpanId: String(d.parentSpanId) } : {}),
    ...(d.statusMessage != null && d.statusMessage !== '' ? { statusMessage: String(d.statusMessage) } : {}),
    ...(d.damaged != null && d.damaged !== '' ? { damaged: String(d.damaged) } : {}),
    attributes: attrs(d.attributes),
    resource: attrs(d.resource),
    scope: {
      name: String(scope.name ?? ''),
      ...(scope.version != null ? { version: String(scope.version) } : {}),
      attributes: attrs(scope.attributes),
    },
    events: Array.isArray(d.events)
      ? d.events.map((e) => {
          const frames = normaliseFrames(e?.frames);
          return {
            name: String(e?.name ?? ''),
            timeNs: Number(e?.timeNs) || 0,
            attributes: attrs(e?.attributes),
            ...(frames.length ? { frames } : {}),
          };
        })
      : [],
    links: Array.isArray(d.links)
      ? d.links.map((l) => ({
          traceId: String(l?.traceId ?? ''),
          spanId: String(l?.spanId ?? ''),
          attributes: attrs(l?.attributes),
        }))
      : [],
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown, max = 2000): string => (typeof v === 'string' ? v.slice(0, max) : '');

function int32(v: unknown): Int32Array {
  if (v instanceof Int32Array) return v;
  return Array.isArray(v) ? Int32Array.from(v, (x) => Math.trunc(num(x))) : new Int32Array(0);
}

/** A comparison from the host with every field of the right type, or undefined. */
export function readComparison(v: unknown): WireComparison | undefined {
  if (!isObject(v) || !Array.isArray(v.operations)) return undefined;
  const operations = v.operations.filter(isObject).map((o): OperationComparison => ({
    service: str(o.service),
    name: str(o.name),
    parent: Math.trunc(num(o.parent)),
    depth: Math.max(0, Math.trunc(num(o.depth))),
    countA: num(o.countA),
    countB: num(o.countB),
    durationA: num(o.durationA),
    durationB: num(o.durationB),
    selfA: num(o.selfA),
    selfB: num(o.selfB),
    durationDelta: num(o.durationDelta),
    selfDelta: num(o.selfDelta),
    change: o.change === 'added' || o.change === 'missing' ? o.change : 'both',
  }));
  return {
    operations,
    added: num(v.added),
    missing: num(v.missing),
    operationOfA: int32(v.operationOfA),
    operationOfB: int32(v.operationOfB),
  };
}

/** The logs of a span from the host, every field of the right type (at most 500 of each). */
function readLogs(m: Record<string, unknown>): SpanLogs {
  const records = (Array.isArray(m.records) ? m.records : [])
    .slice(0, 500)
    .filter(isObject)
    .map((r): SpanLogRecord => ({
      ...(typeof r.timeNs === 'number' && Number.isFinite(r.timeNs) ? { timeNs: r.timeNs } : {}),
      severity: str(r.severity, 40),
      body: str(r.body, 4000),
    }));
  const lines = (Array.isArray(m.lines) ? m.lines : [])
    .slice(0, 500)
    .filter(isObject)
    .filter((l) => typeof l.id === 'number' && Number.isInteger(l.id) && l.id >= 0)
    .map((l): SpanLogLine => ({
      id: l.id as number,
      where: str(l.where, 400),
      text: str(l.text, 1000),
      by: l.by === 'trace' ? 'trace' : 'span',
    }));
  const notes = (Array.isArray(m.notes) ? m.notes : []).slice(0, 10).map((n) => str(n, 400));
  return { records, lines, notes };
}
