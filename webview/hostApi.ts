/**
 * The webview's end of the host channel: reads what the host posts (defensively: a malformed
 * message is dropped, a detail is made safe to render), numbers requests, keeps recent span
 * details, and posts the webview's messages. No DOM: it runs in plain Node with a fake `VsCodeApi`.
 */
import type { SpanDetail, StackFrameRef } from '../src/shared/model';
import {
  parsePanelSubject,
  type HostMessage,
  type PanelSubject,
  type TraceEntry,
  type TraceHandle,
  type WebviewMessage,
} from '../src/shared/protocol';
import { S } from './l10n';

/** The object `acquireVsCodeApi()` returns. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the host tells the webview, after `readHostMessage` checked it. */
export interface HostHandlers {
  /** The reply to `ready`: the subject and the traces that have loaded. */
  init(subject: PanelSubject | undefined, traces: TraceEntry[]): void;
  /** A new version of one trace. */
  trace(entry: TraceEntry): void;
  loading(handle: TraceHandle | undefined, traceId: string | undefined): void;
  error(message: string, handle: TraceHandle | undefined): void;
  selectSpan(handle: TraceHandle, spanId: string): void;
  /** The detail of a span arrived (the answer to the latest request only). */
  spanDetail(handle: TraceHandle, index: number, detail: SpanDetail | null): void;
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
        this.on.init(parsePanelSubject(m.subject), traces as TraceEntry[]);
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
      case 'selectSpan':
        if (isHandle(msg.handle) && typeof msg.spanId === 'string')
          this.on.selectSpan(msg.handle, msg.spanId);
        return;
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

  /** Forgets the details of trace `handle` (a new version of it arrived). */
  forget(handle: TraceHandle): void {
    this.details.delete(handle);
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
