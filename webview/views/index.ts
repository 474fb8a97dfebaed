/**
 * The views the shell can switch between, first the default. A new view (statistics, flame
 * graph, comparison) is a folder beside `waterfall/` and one entry here.
 */
import type { View, ViewContext } from './view';
import { WaterfallView } from './waterfall';

export const VIEWS = [
  { name: 'waterfall', title: 'Waterfall', create: (ctx: ViewContext): View => new WaterfallView(ctx) },
] as const;

/** The name of a view. */
export type ViewName = (typeof VIEWS)[number]['name'];
