import { normalizeTraceId } from '../../shared/traceId';

/**
 * A typed or pasted ID one hex digit short of a full one: 31 digits (a trace ID) or 15 (a 16-digit
 * one). Padding it with a leading zero, as Tempo reads short IDs, would look up a different trace
 * when a character was dropped in the middle, so a person is asked before it is padded.
 */
export interface ShortIdTypo {
  /** 31 or 15. */
  digits: number;
  /** The ID padded to 32 digits, offered only as an explicit choice. */
  padded: string;
}

/** The typo `text` (trimmed) is, or undefined when it is not 15 or 31 hex digits. IDs a backend returns short are padded elsewhere. */
export function shortIdTypo(text: string): ShortIdTypo | undefined {
  const t = text.trim();
  if (!/^(?:[0-9a-fA-F]{31}|[0-9a-fA-F]{15})$/.test(t)) return undefined;
  const padded = normalizeTraceId(t);
  return padded ? { digits: t.length, padded } : undefined;
}
