/** Writing traces out: OTLP/JSON for "Save Trace As…" (see `otlpJson.ts`). */
export { anyValue, otlpJsonText, toOtlpJson, type ExportSource } from './otlpJson';
