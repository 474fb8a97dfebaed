/**
 * What the detector knows about keys: the kinds a key before a value can name, the words that
 * make a hex value something other than a trace ID, and the needles for the keyed forms too short
 * for the hex-run probe.
 */

// Key kinds, from the key text before a value.
export const K_NONE = 0;
export const K_TRACE = 1;
export const K_TRACE_B3 = 2;
export const K_TRACE_DD = 3;
export const K_UBER = 4;
export const K_GCP_CTX = 5;
export const K_SPAN = 6;
export const K_SPAN_B3 = 7;
export const K_SPAN_DD = 8;
export const K_B3 = 9;
export const K_NEG = 10;
export const K_NEUTRAL = 11;

/** Key words that say the value is some other kind of hex: such values are only low-confidence IDs. */
export const NEGATIVE_KEY_PARTS: readonly string[] = [
  'md5',
  'sha',
  'checksum',
  'hash',
  'digest',
  'etag',
  'integrity',
  'session',
  'token',
  'key',
  'secret',
  'nonce',
  'signature',
  'fingerprint',
  'hmac',
  'csrf',
  'cookie',
  'password',
  'salt',
];

/** NEGATIVE_KEY_PARTS (and 'span') by first character code minus '0', for a scan without allocation. */
export const NEGATIVE_BY_FIRST: Array<string[] | undefined> = [];
for (const part of [...NEGATIVE_KEY_PARTS, 'span'])
  (NEGATIVE_BY_FIRST[part.charCodeAt(0) - 0x30] ??= []).push(part); // 0x30: '0'

// Needles for values the hex-run probe cannot see (short or not hex), searched with indexOf. Each
// starts with a character that is rare in logs, because indexOf skips to the first character.
export const A_B64 = 0; // "traceId": "<base64>" and "spanId": "<base64>" (OTLP JSON)
export const A_JAEGER = 1; // uber-trace-id: <short trace>:...
export const A_DD = 2; // dd.trace_id=<short decimal>, "dd":{"trace_id":"<short decimal>"}
export const ANCHOR_NEEDLES: readonly string[] = ['Id":', '_id', 'ber-', 'BER-'];
export const ANCHOR_KINDS: readonly number[] = [A_B64, A_DD, A_JAEGER, A_JAEGER];
