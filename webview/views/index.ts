/**
 * The views the shell can switch between, first the default. A new view (statistics, flame
 * graph, comparison) is a folder beside `waterfall/` and one entry here. `title` is a function:
 * the page's words arrive after this module loads.
 */
import type { View, ViewContext } from './view';
import { WaterfallView } from './waterfall';
import { S } from '../l10n';

export const VIEWS = [
  {
    name: 'waterfall',
    title: (): string => S.waterfall,
    create: (ctx: ViewContext): View => new WaterfallView(ctx),
  },
] as const;

/** The name of a view. */
export type ViewName = (typeof VIEWS)[number]['name'];
