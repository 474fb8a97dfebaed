/**
 * What people read about a trace: the summary a hover, the CLI and the panel header show, the
 * slowest spans and the errors.
 */
import { SpanFlag, type TraceModel } from '../../shared/model';
import type { DecodedTrace } from '../decode';
import { analyze } from './analyze';

/** Per-service figures. */
export interface ServiceSummary {
  name: string;
  spanCount: number;
  /** Sum of the self times of the service's spans. */
  selfTimeNs: number;
  errorCount: number;
}

/** The span that contributes most to the critical path. */
export interface TopContributor {
  /** Depth-first span index. */
  index: number;
  name: string;
  service: string;
  selfTimeNs: number;
  /** `selfTimeNs` as a fraction of the trace duration (0 to 1). */
  share: number;
}

/** What a hover, the CLI and the panel header say about a trace. */
export interface TraceSummary {
  traceId: string;
  /** Service of the root span (span 0). */
  rootService: string;
  /** Name of the root span (span 0). */
  rootName: string;
  traceStartMs: number;
  durationNs: number;
  spanCount: number;
  serviceCount: number;
  /** Spans flagged `SpanFlag.Error`. */
  errorCount: number;
  /** Services in the model's order (the root's service first). */
  services: ServiceSummary[];
  /** Span indexes on the critical path, root first (depth-first order). */
  criticalPath: Int32Array;
  topContributor?: TopContributor;
}

/** One of the slowest spans. */
export interface SlowSpan {
  index: number;
  name: string;
  service: string;
  durationNs: number;
}

/** A span flagged as an error, with its exception when it recorded one. */
export interface ErrorSpan {
  index: number;
  name: string;
  service: string;
  /** `exception.type` of the first `exception` event. */
  exceptionType?: string;
  /** `exception.message` of the first `exception` event, else the status message. */
  message?: string;
}

/** The facts a hover or header shows about a trace. */
export function summarize(model: TraceModel): TraceSummary {
  const n = model.spanCount;
  const c = model.columns;
  const { selfTimeNs: self, criticalPath: path } = analyze(model);
  const services: ServiceSummary[] = model.services.map((name) => ({
    name,
    spanCount: 0,
    selfTimeNs: 0,
    errorCount: 0,
  }));
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    const s = services[c.service[i]!];
    const error = (c.flags[i]! & SpanFlag.Error) !== 0;
    if (error) errorCount++;
    if (!s) continue;
    s.spanCount++;
    s.selfTimeNs += self[i]!;
    if (error) s.errorCount++;
  }
  const used = services.filter((s) => s.spanCount > 0);
  let top: TopContributor | undefined;
  for (const i of path) {
    if (!top || self[i]! > top.selfTimeNs) {
      top = {
        index: i,
        name: model.strings[c.name[i]!] ?? '',
        service: model.services[c.service[i]!] ?? '',
        selfTimeNs: self[i]!,
        share: 0,
      };
    }
  }
  if (top) top.share = model.durationNs > 0 ? top.selfTimeNs / model.durationNs : 0;
  const summary: TraceSummary = {
    traceId: model.traceId,
    rootService: n > 0 ? (model.services[c.service[0]!] ?? 'unknown service') : 'unknown service',
    rootName: n > 0 ? (model.strings[c.name[0]!] ?? '') : '',
    traceStartMs: model.traceStartMs,
    durationNs: model.durationNs,
    spanCount: n,
    serviceCount: used.length,
    errorCount,
    services: used,
    criticalPath: path,
  };
  if (top) summary.topContributor = top;
  return summary;
}

/** The `count` longest spans, longest first (ties: earlier in the tree first). */
export function slowestSpans(model: TraceModel, count: number): SlowSpan[] {
  const c = model.columns;
  const dur = c.durationNs;
  const k = Math.max(0, Math.min(Math.floor(count), model.spanCount));
  if (k === 0) return [];
  const idx = new Int32Array(model.spanCount);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => dur[b]! - dur[a]! || a - b);
  const out: SlowSpan[] = [];
  for (let j = 0; j < k; j++) {
    const i = idx[j]!;
    out.push({
      index: i,
      name: model.strings[c.name[i]!] ?? '',
      service: model.services[c.service[i]!] ?? '',
      durationNs: dur[i]!,
    });
  }
  return out;
}

/** Every error span, in depth-first order, with its exception type and message when recorded. */
export function errorSpans(decoded: DecodedTrace): ErrorSpan[] {
  const model = decoded.model;
  const c = model.columns;
  const out: ErrorSpan[] = [];
  for (let i = 0; i < model.spanCount; i++) {
    if (!(c.flags[i]! & SpanFlag.Error)) continue;
    const e: ErrorSpan = {
      index: i,
      name: model.strings[c.name[i]!] ?? '',
      service: model.services[c.service[i]!] ?? '',
    };
    const d = decoded.detail(i);
    const ex = d?.events.find((ev) => ev.name === 'exception');
    if (ex) {
      const type = ex.attributes.find((a) => a.key === 'exception.type')?.value;
      const message = ex.attributes.find((a) => a.key === 'exception.message')?.value;
      if (type !== undefined && type !== null) e.exceptionType = String(type);
      if (message !== undefined && message !== null) e.message = String(message);
    }
    if (e.message === undefined && d?.statusMessage) e.message = d.statusMessage;
    out.push(e);
  }
  return out;
}
