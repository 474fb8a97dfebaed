/**
 * What the webview keeps across hide/show and window reloads with `setState`. Spans are named by
 * ID, not index, so the state survives a refresh that adds spans. The host's panel serializer
 * reads `subject` (and, from states saved before panels had subjects, `traceId` and
 * `selectSpanId`: keep those names). Pure: no DOM.
 */
import { parsePanelSubject, type PanelSubject } from '../src/shared/protocol';
import { SPAN_ID_HEX as HEX_16 } from '../src/shared/traceId';

/** Collapsed spans: either the listed ones, or every span with children except the listed ones. */
export interface CollapsedState {
  mode: 'listed' | 'allBut';
  ids: string[];
}

/** The persisted view state. */
export interface ViewState {
  /** What the panel shows; the serializer opens it again after a reload. */
  subject?: PanelSubject;
  /** The trace the rest of the state is about (the panel's primary trace). */
  traceId: string;
  /** The selected span (the serializer selects it again after a reload). */
  selectSpanId?: string;
  collapsed?: CollapsedState;
  /** Zoom window in ns from the trace start. */
  zoom?: [number, number];
  /** The span whose frame the flame graph is zoomed to (absent: the whole trace). */
  flameRoot?: string;
  query?: string;
  /** Service name of the service picker (when the filter keeps one service). */
  service?: string;
  /** The services the filter keeps, when it keeps several (the legend). */
  services?: string[];
  onlyMatches?: boolean;
  critical?: boolean;
  detailOpen?: boolean;
  /** Whether the legend lists the services (absent: it does). */
  legendOpen?: boolean;
  detailWidth?: number;
  /** Height of the detail pane below the waterfall (narrow panels). */
  detailHeight?: number;
  labelWidth?: number;
  scrollTop?: number;
  /** The view shown (absent: the waterfall). */
  view?: string;
}

/** At most this many IDs are stored for the collapsed set (state is posted on every change). */
export const MAX_COLLAPSED_IDS = 20000;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads a state object defensively: anything malformed is dropped field by field. */
export function readState(raw: unknown): ViewState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  if (typeof s.traceId !== 'string') return undefined;
  const out: ViewState = { traceId: s.traceId };
  const subject = parsePanelSubject(s.subject);
  if (subject) out.subject = subject;
  if (typeof s.selectSpanId === 'string' && HEX_16.test(s.selectSpanId)) out.selectSpanId = s.selectSpanId;
  const col = s.collapsed as Record<string, unknown> | undefined;
  if (col && (col.mode === 'listed' || col.mode === 'allBut') && Array.isArray(col.ids)) {
    out.collapsed = {
      mode: col.mode,
      ids: col.ids
        .filter((x): x is string => typeof x === 'string' && HEX_16.test(x))
        .slice(0, MAX_COLLAPSED_IDS),
    };
  }
  if (Array.isArray(s.zoom) && s.zoom.length === 2) {
    const a = num(s.zoom[0]);
    const b = num(s.zoom[1]);
    if (a !== undefined && b !== undefined && b > a) out.zoom = [a, b];
  }
  if (typeof s.flameRoot === 'string' && HEX_16.test(s.flameRoot)) out.flameRoot = s.flameRoot;
  if (typeof s.query === 'string') out.query = s.query.slice(0, 1000);
  if (typeof s.service === 'string') out.service = s.service;
  if (Array.isArray(s.services))
    out.services = s.services.filter((x): x is string => typeof x === 'string').slice(0, 1000);
  if (typeof s.onlyMatches === 'boolean') out.onlyMatches = s.onlyMatches;
  if (typeof s.critical === 'boolean') out.critical = s.critical;
  if (typeof s.detailOpen === 'boolean') out.detailOpen = s.detailOpen;
  if (typeof s.legendOpen === 'boolean') out.legendOpen = s.legendOpen;
  const dw = num(s.detailWidth);
  if (dw !== undefined) out.detailWidth = dw;
  const dh = num(s.detailHeight);
  if (dh !== undefined) out.detailHeight = dh;
  const lw = num(s.labelWidth);
  if (lw !== undefined) out.labelWidth = lw;
  const st = num(s.scrollTop);
  if (st !== undefined) out.scrollTop = st;
  if (typeof s.view === 'string' && /^[a-z]{1,32}$/.test(s.view)) out.view = s.view;
  return out;
}
