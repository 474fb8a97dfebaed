/**
 * Analysis of a decoded trace: self time, the critical path, per-service summaries, the slowest
 * spans and the errors. Pure functions over the columnar model; every walk is iterative.
 *
 *   analyze.ts   self time and critical path, computed once per model (`analyze`)
 *   summary.ts   the summary, slowest spans and error spans, built on `analyze`
 */
export { analyze, criticalPath, selfTime, type TraceAnalysis } from './analyze';
export {
  errorSpans,
  slowestSpans,
  summarize,
  type ErrorSpan,
  type ServiceSummary,
  type SlowSpan,
  type TopContributor,
  type TraceSummary,
} from './summary';
