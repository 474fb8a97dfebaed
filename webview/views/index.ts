/**
 * The views the shell can switch between, first the default. A new view (statistics, flame
 * graph, comparison) is a folder beside `waterfall/` and one entry here.
 */
import { SearchView, type SearchViewContext } from './search';
import type { View, ViewContext } from './view';
import { WaterfallView } from './waterfall';

export const VIEWS = [
  { name: 'waterfall', title: 'Waterfall', create: (ctx: ViewContext): View => new WaterfallView(ctx) },
] as const;

/** The name of a view. */
export type ViewName = (typeof VIEWS)[number]['name'];

/**
 * Views of a webview subject that is not a trace, by subject kind: they replace the trace views
 * (and the header and toolbar over them) for the whole page.
 */
export const SUBJECT_VIEWS = {
  search: (ctx: SearchViewContext): SearchView => new SearchView(ctx),
} as const;

export type { SearchView } from './search';
