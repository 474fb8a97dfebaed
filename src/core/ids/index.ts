/**
 * Trace IDs in text: the detector, the bare-ID policy and the rules for what a valid ID is.
 *
 *   detect.ts    the scanner (`detectTraceIds`), one pass, no regular expressions
 *   chars.ts     the character-class tables the scanner reads (it names its codes itself)
 *   keys.ts      key kinds, the words that make a value not a trace ID, the anchor needles
 *   idText.ts    base64 and decimal IDs as hex
 *   types.ts     what the scanner reports
 *   bareIds.ts   `traceLens.detection.bareIds`: which IDs count where
 *   typed.ts     typed IDs a digit short (31 or 15 hex): typos, not IDs to pad
 *   testing/     the detection corpus (test-only)
 *
 * What a valid trace ID is (`normalizeTraceId`, the hex patterns) lives in src/shared/traceId.ts,
 * so the webview and the protocol use the same rules; it is re-exported here.
 */
export {
  detectTraceIds,
  type Confidence,
  type DetectedId,
  type DetectOptions,
  type IdFormat,
} from './detect';
export { idAllowed, idsFor, type BareIdMode, type IdSurface } from './bareIds';
export { shortIdTypo, type ShortIdTypo } from './typed';
export {
  normalizeTraceId,
  SPAN_ID_HEX,
  TRACE_ID_HEX,
  type NormalizeTraceIdOptions,
} from '../../shared/traceId';
