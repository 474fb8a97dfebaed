/** Log lines of a span in log text (see `scan.ts`). */
export {
  cleanLogLine,
  lineTimeMs,
  scanLogText,
  type LogLineHit,
  type LogLineMatch,
  type LogScanOptions,
  type LogScanResult,
  type SpanLogQuery,
} from './scan';
