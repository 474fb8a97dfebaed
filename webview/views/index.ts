/**
 * The views the shell can switch between, first the default. A view is a folder beside
 * `waterfall/` and one entry here: its tab title and icon, and which subjects it applies to. A title is a
 * getter: the page's words arrive after this module loads.
 */
import type { PanelSubject } from '../../src/shared/protocol';
import { CompareView } from './compare';
import { FlameView } from './flame';
import { StatsView } from './stats';
import { SearchView, type SearchViewContext } from './search';
import type { View, ViewContext } from './view';
import { WaterfallView } from './waterfall';
import { S } from '../l10n';

/** A view of the panel. */
export interface ViewEntry {
  name: string;
  /** Tab title. */
  title: string;
  /** Codicon of the tab. */
  icon: string;
  /** Whether the view applies to the subject (default: always). */
  available?(subject: PanelSubject | undefined): boolean;
  create(ctx: ViewContext): View;
}

export const VIEWS = [
  {
    name: 'waterfall',
    get title(): string {
      return S.waterfall;
    },
    icon: 'list-tree',
    create: (ctx: ViewContext): View => new WaterfallView(ctx),
  },
  {
    name: 'stats',
    get title(): string {
      return S.statistics;
    },
    icon: 'table',
    create: (ctx: ViewContext): View => new StatsView(ctx),
  },
  {
    name: 'flame',
    get title(): string {
      return S.flameGraph;
    },
    icon: 'flame',
    create: (ctx: ViewContext): View => new FlameView(ctx),
  },
  {
    name: 'compare',
    get title(): string {
      return S.comparison;
    },
    icon: 'diff',
    available: (subject: PanelSubject | undefined) => subject?.kind === 'compare',
    create: (ctx: ViewContext): View => new CompareView(ctx),
  },
] as const satisfies readonly ViewEntry[];

/** The name of a view. */
export type ViewName = (typeof VIEWS)[number]['name'];

/** Whether `name` names a view. */
export function isViewName(name: unknown): name is ViewName {
  return VIEWS.some((v) => v.name === name);
}

/**
 * Views of a webview subject that is not a trace, by subject kind: they replace the trace views
 * (and the header and toolbar over them) for the whole page.
 */
export const SUBJECT_VIEWS = {
  search: (ctx: SearchViewContext): SearchView => new SearchView(ctx),
} as const;

export type { SearchView } from './search';
