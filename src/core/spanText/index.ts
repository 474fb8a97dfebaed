/** The searchable texts of a trace's spans, in columns (see `spanText.ts`). */
export { buildSpanText, MAX_TEXT, type SpanText, type SpanTextSource } from './spanText';
