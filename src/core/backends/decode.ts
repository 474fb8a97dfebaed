/**
 * Turning a response body into a decoded trace, with decoder failures re-worded as
 * `BackendError`s that name the request.
 */
import { decodeTrace, TraceDecodeError, type DecodedTrace, type TraceFormat } from '../decode';
import { BackendError, SecretMask, quoteText } from './errors';

/** Where the bytes came from, for messages. */
export interface BodySource {
  /** `GET /api/traces/<id> → 200`, or a file path. */
  prefix: string;
  url: string;
  status?: number;
  /** The credentials sent for these bytes: the decoder quotes the body, so its messages are masked. */
  mask?: SecretMask;
}

/**
 * Decodes `body`; an empty trace (or the decoder's `not-found`) becomes `notFound()`, other
 * decoder failures a `bad-response` (or `too-large`) naming the source.
 */
export function decodeBody(
  body: Uint8Array,
  format: TraceFormat | undefined,
  source: BodySource,
  notFound: (cause?: unknown) => BackendError,
): DecodedTrace {
  const init = { url: source.url, ...(source.status !== undefined ? { status: source.status } : {}) };
  const mask = source.mask ?? SecretMask.none;
  let decoded: DecodedTrace;
  try {
    decoded = decodeTrace(body, format);
  } catch (err) {
    if (err instanceof TraceDecodeError) {
      if (err.kind === 'not-found') throw notFound(err);
      throw new BackendError(
        err.kind === 'too-large' ? 'too-large' : 'bad-response',
        `${source.prefix}: ${lowerFirst(mask.mask(withoutSnippet(err.message)))}`,
        {
          ...init,
          cause: err,
        },
      );
    }
    throw new BackendError(
      'bad-response',
      `${source.prefix}: the response could not be read as a trace (${err instanceof Error ? quoteText(err.message, mask, 120) : 'unknown error'})`,
      { ...init, cause: err },
    );
  }
  if (decoded.model.spanCount === 0) throw notFound();
  // The server wrote the partial-trace explanation; it is shown in hovers and the CLI.
  const partialMessage = decoded.model.partialMessage;
  if (partialMessage !== undefined) decoded.model.partialMessage = mask.mask(partialMessage);
  return decoded;
}

/** True when the body is JSON by its content type, or by its first byte when the type is silent. */
export function looksLikeJson(contentType: string, body: Uint8Array): boolean {
  const type = contentType.toLowerCase();
  if (type.includes('json')) return true;
  if (type.includes('protobuf')) return false;
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  return first === 0x7b || first === 0x5b;
}

/**
 * V8's JSON.parse messages quote the text after the bad token, cut after a few characters: a
 * credential the server echoed may be cut in the middle there, where no mask can recognise it.
 * The token and its position say enough.
 */
function withoutSnippet(message: string): string {
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON/s, '');
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
