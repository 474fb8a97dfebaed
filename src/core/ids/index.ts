/**
 * Trace IDs in text: the detector and the rules for what a valid ID is.
 */
export {
  detectTraceIds,
  type Confidence,
  type DetectedId,
  type DetectOptions,
  type IdFormat,
} from './detect';
export { idAllowed, idsFor, type BareIdMode, type IdSurface } from './bareIds';
export {
  normalizeTraceId,
  SPAN_ID_HEX,
  TRACE_ID_HEX,
  type NormalizeTraceIdOptions,
} from '../../shared/traceId';
