import { SpanFlag, type TraceModel } from '../shared/model';
import type { TraceSummary } from '../core/analysis';
import { formatDuration } from '../shared/format';

/** Options for the text tree. */
export interface TreeOptions {
  /** Terminal width in columns. */
  width: number;
  /** At most this many span lines (the rest are counted). */
  maxSpans?: number;
}

/** Strips control characters so hostile span names cannot drive the terminal. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function fit(s: string, n: number): string {
  if (s.length <= n) return s.padEnd(n);
  return s.slice(0, Math.max(0, n - 1)) + '…';
}

/**
 * The trace as an indented tree with a duration bar per span, drawn to scale on the trace's
 * time axis; spans on the critical path are marked with `*`.
 */
export function renderTree(model: TraceModel, s: TraceSummary, opts: TreeOptions): string[] {
  const { columns: c } = model;
  const lines: string[] = [];
  const errors = s.errorCount > 0 ? ` · ${s.errorCount} ${s.errorCount === 1 ? 'error' : 'errors'}` : '';
  lines.push(
    `${clean(s.rootService)} · ${clean(s.rootName)} · ${formatDuration(s.durationNs)} · ${s.spanCount} spans · ${s.serviceCount} services${errors}`,
  );
  lines.push(
    `trace ${model.traceId}${model.partial ? ` (PARTIAL: ${clean(model.partialMessage ?? '')})` : ''}`,
  );
  lines.push('');
  const onPath = new Uint8Array(model.spanCount);
  for (const i of s.criticalPath) onPath[i] = 1;
  const width = Math.max(60, Math.min(opts.width, 160));
  const barWidth = Math.max(10, Math.floor(width * 0.3));
  const labelWidth = width - barWidth - 12;
  const max = opts.maxSpans ?? 200;
  const total = model.durationNs || 1;
  const n = Math.min(model.spanCount, max);
  for (let i = 0; i < n; i++) {
    const mark = onPath[i] ? '*' : ' ';
    const err = (c.flags[i]! & SpanFlag.Error) !== 0 ? '!' : ' ';
    const label = `${'  '.repeat(Math.min(c.depth[i]!, 20))}${clean(model.strings[c.name[i]!] ?? '')} (${clean(model.services[c.service[i]!] ?? '')})`;
    const from = Math.floor((c.startNs[i]! / total) * barWidth);
    const len = Math.max(1, Math.round((c.durationNs[i]! / total) * barWidth));
    const bar =
      ' '.repeat(Math.min(from, barWidth - 1)) +
      '█'.repeat(Math.min(len, barWidth - Math.min(from, barWidth - 1)));
    lines.push(
      `${mark}${err}${fit(label, labelWidth)} ${formatDuration(c.durationNs[i]!).padStart(8)} |${bar.padEnd(barWidth)}|`,
    );
  }
  if (model.spanCount > n) lines.push(`… ${model.spanCount - n} more spans`);
  lines.push('');
  lines.push('* critical path   ! error');
  return lines;
}
