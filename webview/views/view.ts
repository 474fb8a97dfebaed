/**
 * What the shell needs from a view. A view shows the session's trace one way (the waterfall;
 * statistics, a flame graph and a comparison next), each in `views/<name>/`, all over the same
 * session: it reads the session, calls its methods, and follows its events.
 */
import type { SpanDetail } from '../../src/shared/model';
import type { TraceHandle } from '../../src/shared/protocol';
import type { HostApi, SpanLogs } from '../hostApi';
import type { Layout, Restored, Session } from '../session';

/** What a view is built with. */
export interface ViewContext {
  session: Session;
  host: HostApi;
  /** The page's root element (its width bounds the view's panes). */
  root: HTMLElement;
  /** The view changed something the saved state keeps (a size, the scroll position). */
  layoutChanged(): void;
  /** Shows another view (a statistics row shows its spans in the waterfall). */
  show?(name: string): void;
}

export interface View {
  /** The view's element; the shell shows one view at a time. */
  readonly element: HTMLElement;
  /** Sizes and scroll position to keep in the saved state (the waterfall's; other views keep none). */
  layout?(): Layout;
  /** The view became the shown one (a view may defer work while hidden). */
  shown?(): void;
  /** A trace finished loading into the session: restore what the session could not, and paint. */
  loaded(restored: Restored): void;
  /** A span detail the view may have asked for arrived. */
  detailArrived(handle: TraceHandle, index: number, detail: SpanDetail | null): void;
  /** The logs of a span the view may have asked for arrived. */
  logsArrived?(handle: TraceHandle, index: number, logs: SpanLogs): void;
  /** A trace of the subject that the views do not show (A of a comparison) failed to load. */
  traceFailed?(handle: TraceHandle, message: string): void;
  /** The theme changed: colours measured from it are stale. */
  themeChanged(): void;
  /** Puts the keyboard focus on the view's main control. */
  focus(): void;
}
