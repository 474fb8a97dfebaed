// TraceQL metrics for the fake Tempo's '3.0.3' mode: `/api/metrics/query_range` and the instant
// `/api/metrics/query`, answered the way Tempo 3.0.3 was measured to answer them (see
// test/fixtures/tempo/tempo-3.0.3 and ../shared/docs/tempo-api.md §8):
//
// - the range ends at most `cutoffMs` before now (query_end_cutoff, 30 s by default);
// - range samples sit at multiples of the step, from floor(start / step) to floor(end / step); a
//   sample at t counts the spans that started in (t - step, t], so a span is seen once the whole
//   step it falls in is older than the cut-off (with one 3600 s step: when the hour is over);
// - steps without spans are samples with only `timestampMs`; times are strings of milliseconds;
// - series labels: the `by` fields as written (status as the words "unset"/"error"), `p` for a
//   quantile, `__name__` when there is nothing else; durations are seconds;
// - `quantile_over_time` answers from power-of-two duration buckets (a bucket's upper bound, or
//   a value interpolated between two bounds), `avg/min/max/sum_over_time` are exact;
// - range series carry exemplars: the span's trace ID, the attributes the query named, and for
//   duration functions the span's duration and its exact value in seconds.
// Plain Node, test-only. The spanset part is the caller's (the TraceQL engine of src/core/traceql).

const DURATION_FNS = new Set([
  'quantile_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
]);
const FUNCTIONS = new Set(['rate', 'count_over_time', ...DURATION_FNS]);

/** A metrics query the fake cannot run: answered 400 like Tempo's parse errors. */
export class MetricsQueryError extends Error {}

/**
 * Splits `{ … } | fn(args) by (a, b)` into the spanset text and the stage. The pipeline starts
 * at the first `|` after the last `}` (conditions inside the braces use `||`).
 */
export function parseMetricsQuery(q) {
  const close = q.lastIndexOf('}');
  const pipe = close < 0 ? -1 : q.indexOf('|', close);
  if (pipe < 0)
    throw new MetricsQueryError('invalid TraceQL query: a metrics query needs a stage such as | rate()');
  const stage = q.slice(pipe + 1).trim();
  const m = /^([a-z_]+)\s*\(([^)]*)\)\s*(?:by\s*\(([^)]*)\))?$/.exec(stage);
  if (!m || !FUNCTIONS.has(m[1])) {
    throw new MetricsQueryError(
      `invalid TraceQL query: parse error at line 1, col ${pipe + 2}: ${stage.slice(0, 60)}`,
    );
  }
  const fn = m[1];
  const args = m[2]
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (DURATION_FNS.has(fn) && args[0] !== 'duration') {
    throw new MetricsQueryError(
      `invalid TraceQL query: the fake Tempo only aggregates duration, not "${args[0] ?? ''}"`,
    );
  }
  const quantiles = fn === 'quantile_over_time' ? args.slice(1).map(Number) : [];
  if (fn === 'quantile_over_time' && (quantiles.length === 0 || quantiles.some((x) => !(x >= 0 && x <= 1)))) {
    throw new MetricsQueryError('invalid TraceQL query: quantile_over_time needs quantiles between 0 and 1');
  }
  const by = (m[3] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  return { spanset: q.slice(0, pipe).trim(), fn, quantiles, by };
}

/** The smallest power of two at or above `ns`: the upper bound of Tempo's duration bucket. */
export function bucketOf(ns) {
  let b = 1;
  while (b < ns) b *= 2;
  return b;
}

/**
 * A quantile from power-of-two buckets: the bucket where the ceil(p × n)-th smallest value
 * falls; its upper bound when the count lands on it exactly, else interpolated exponentially
 * between the bound below and that one. Nanoseconds.
 */
export function bucketQuantile(p, durationsNs) {
  const counts = new Map();
  for (const d of durationsNs) {
    const b = bucketOf(d);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const buckets = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  if (buckets.length === 0) return 0;
  const wanted = Math.max(1, Math.ceil(p * durationsNs.length));
  let consumed = 0;
  let i = 0;
  for (; i < buckets.length; i++) {
    const [bound, n] = buckets[i];
    if (consumed + n > wanted) break;
    consumed += n;
    if (consumed === wanted) return bound;
  }
  i = Math.min(i, buckets.length - 1);
  const fraction = (wanted - consumed) / buckets[i][1];
  const top = Math.log2(buckets[i][0]);
  const bottom = i > 0 ? Math.log2(buckets[i - 1][0]) : top - 1;
  return 2 ** (bottom + (top - bottom) * fraction);
}

/** Go's `time.Duration.String()` for the durations spans have: `4.3s`, `400ms`, `1m2.5s`. */
export function goDuration(ns) {
  const trim = (x) => String(Number(x.toFixed(9)));
  if (ns >= 60e9) {
    const m = Math.floor(ns / 60e9);
    return `${m}m${trim((ns - m * 60e9) / 1e9)}s`;
  }
  if (ns >= 1e9) return `${trim(ns / 1e9)}s`;
  if (ns >= 1e6) return `${trim(ns / 1e6)}ms`;
  if (ns >= 1e3) return `${trim(ns / 1e3)}µs`;
  return `${ns}ns`;
}

function stepMsOf(text, rangeMs) {
  if (text === null || text === '') return Math.max(1000, Math.round(rangeMs / 100 / 1000) * 1000);
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new MetricsQueryError(`invalid step: "${text.slice(0, 40)}"`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
}

function aggregate(fn, values, seconds, q) {
  if (fn === 'count_over_time') return values.length;
  if (fn === 'rate') return values.length / seconds;
  if (values.length === 0) return 0;
  switch (fn) {
    case 'quantile_over_time':
      return bucketQuantile(q, values) / 1e9;
    case 'avg_over_time':
      return values.reduce((a, b) => a + b, 0) / values.length / 1e9;
    case 'min_over_time':
      return Math.min(...values) / 1e9;
    case 'max_over_time':
      return Math.max(...values) / 1e9;
    case 'sum_over_time':
      return values.reduce((a, b) => a + b, 0) / 1e9;
  }
  return 0;
}

/**
 * Answers a metrics request. `spans` are the spans the spanset part matched, each
 * `{ startMs, durationNs, traceId, byValues: AnyValue[], named: [{ key, value: AnyValue }] }`
 * (`byValues` in the order of the query's `by`). Returns the JSON body, or throws
 * MetricsQueryError for a 400.
 */
export function answerMetrics({ instant, params, parsed, spans, nowMs, cutoffMs }) {
  const endParam = params.get('end');
  const startParam = params.get('start');
  const end = endParam !== null ? Number(endParam) * 1000 : nowMs;
  const start = startParam !== null ? Number(startParam) * 1000 : end - 3_600_000;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new MetricsQueryError('invalid start and end: start must be before end');
  }
  // Tempo 3.0 answers without the most recent data.
  const effectiveEnd = Math.min(end, nowMs - cutoffMs);
  const { fn, quantiles, by } = parsed;
  const qs = fn === 'quantile_over_time' ? quantiles : [undefined];
  const labelsOf = (byValues) => by.map((key, k) => ({ key, value: byValues[k] ?? {} }));
  const seriesLabels = (base, q) => {
    const labels = [...base];
    if (q !== undefined) labels.push({ key: 'p', value: { doubleValue: q } });
    if (labels.length === 0) labels.push({ key: '__name__', value: { stringValue: fn } });
    return labels;
  };
  const group = (list) => {
    const groups = new Map();
    for (const s of list) {
      const key = JSON.stringify(s.byValues);
      if (!groups.has(key)) groups.set(key, { labels: labelsOf(s.byValues), spans: [] });
      groups.get(key).spans.push(s);
    }
    return [...groups.values()];
  };
  const jobs = { completedJobs: 1, totalJobs: 1 };

  if (instant) {
    const inRange = spans.filter((s) => s.startMs > start && s.startMs <= effectiveEnd);
    const seconds = Math.max(1, (effectiveEnd - start) / 1000);
    const series = [];
    for (const g of group(inRange)) {
      for (const q of qs) {
        const v = aggregate(
          fn,
          g.spans.map((s) => s.durationNs),
          seconds,
          q,
        );
        series.push({ labels: seriesLabels(g.labels, q), ...(v ? { value: v } : {}) });
      }
    }
    return { series, metrics: jobs };
  }

  const stepMs = stepMsOf(params.get('step'), end - start);
  const first = Math.floor(start / stepMs) * stepMs;
  const last = Math.floor(effectiveEnd / stepMs) * stepMs;
  const steps = last >= first ? Math.floor((last - first) / stepMs) + 1 : 0;
  if (steps > 11000) throw new MetricsQueryError(`step too small: ${steps} samples`);
  const maxExemplars = params.get('exemplars') !== null ? Number(params.get('exemplars')) : 100;
  const placed = [];
  for (const s of spans) {
    const t = Math.ceil(s.startMs / stepMs) * stepMs;
    if (steps > 0 && t >= first && t <= last) placed.push({ ...s, step: (t - first) / stepMs });
  }
  const series = [];
  for (const g of group(placed)) {
    const perStep = Array.from({ length: steps }, () => []);
    for (const s of g.spans) perStep[s.step].push(s);
    for (const q of qs) {
      const values = perStep.map((list) =>
        aggregate(
          fn,
          list.map((s) => s.durationNs),
          stepMs / 1000,
          q,
        ),
      );
      const exemplars = g.spans.slice(0, Math.max(0, maxExemplars)).map((s) => ({
        labels: [
          { key: 'trace:id', value: { stringValue: s.traceId.replace(/^0+(?=.)/, '') } },
          ...s.named,
          ...(DURATION_FNS.has(fn)
            ? [{ key: 'duration', value: { stringValue: goDuration(s.durationNs) } }]
            : []),
        ],
        value: DURATION_FNS.has(fn) ? s.durationNs / 1e9 : values[s.step],
        timestampMs: String(Math.round(s.startMs)),
      }));
      series.push({
        labels: seriesLabels(g.labels, q),
        samples: values.map((v, k) => ({
          timestampMs: String(first + k * stepMs),
          ...(v ? { value: v } : {}),
        })),
        // Tempo attaches them to the first quantile's series only.
        ...(exemplars.length > 0 && q === qs[0] ? { exemplars } : {}),
      });
    }
  }
  return { series, metrics: jobs };
}
