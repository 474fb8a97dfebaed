/**
 * Decoder for OTLP traces as protobuf: `TracesData` (= Tempo v1 `tempopb.Trace`, field 1
 * repeated ResourceSpans) and Tempo v2's `TraceByIDResponse { Trace trace = 1;
 * TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4; }`.
 *
 *   protoColumns.ts   the columns pass: what the model needs, and each span's byte range
 *   protoDetails.ts   attributes, events and links of one span, on demand
 *   protoFields.ts    the tags of the messages, by name
 *   protoReader.ts    varints, lengths and interned strings
 */
import { buildModel } from './build';
import { notFound } from './otlpJson';
import { ProtoColumnsPass } from './protoColumns';
import { ProtoDetails } from './protoDetails';
import { RESPONSE_MESSAGE, RESPONSE_STATUS, RESPONSE_STATUS_PARTIAL, RESPONSE_TRACE } from './protoFields';
import { ProtoReader, utf8Text, WireType } from './protoReader';
import type { TimeRef } from './raw';
import { TraceDecodeError, type DecodedTrace } from './types';

/** Whether a protobuf body is a Tempo v2 `TraceByIDResponse` rather than a `TracesData`. */
export function looksLikeTraceByIdResponse(buf: Uint8Array): boolean {
  const r = new ProtoReader(buf);
  try {
    let ones = 0;
    let firstStart = 0;
    let firstEnd = 0;
    while (r.pos < buf.length) {
      const tag = r.uint32();
      const field = tag >>> 3;
      // TracesData has nothing but field 1; metrics, status and message mean v2.
      if (field !== 1) return field >= 2 && field <= 4;
      if ((tag & 7) !== WireType.Bytes) return false;
      const end = r.bytesEnd(buf.length);
      if (ones === 0) {
        firstStart = r.pos;
        firstEnd = end;
      }
      ones++;
      r.pos = end;
    }
    if (ones !== 1) return false;
    // One field 1: a ResourceSpans has scope_spans (2 or 1000); a Trace has only field 1.
    r.pos = firstStart;
    while (r.pos < firstEnd) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1) return false;
      r.skip(tag & 7, firstEnd);
    }
    return firstEnd > firstStart;
  } catch {
    return false;
  }
}

/** Decodes `TracesData` (`v2` false) or `TraceByIDResponse` (`v2` true). */
export function decodeOtlpProto(buf: Uint8Array, v2: boolean): DecodedTrace {
  let start = 0;
  let end = buf.length;
  let partial = false;
  let partialMessage: string | undefined;
  if (v2) {
    const r = new ProtoReader(buf);
    let found = false;
    while (r.pos < buf.length) {
      const tag = r.uint32();
      if (tag === RESPONSE_TRACE) {
        end = r.bytesEnd(buf.length);
        start = r.pos;
        found = true;
        r.pos = end;
      } else if (tag === RESPONSE_STATUS) {
        partial = r.uint32() === RESPONSE_STATUS_PARTIAL;
      } else if (tag === RESPONSE_MESSAGE) {
        const e = r.bytesEnd(buf.length);
        partialMessage = utf8Text(buf, r.pos, e);
        r.pos = e;
      } else r.skip(tag & 7, buf.length);
    }
    if (!found) throw notFound();
    if (partial) partialMessage = partialMessage || 'Tempo returned a partial trace.';
    else partialMessage = undefined;
  }
  return decodeTracesData(buf, start, end, partial, partialMessage);
}

/**
 * The trace in the `TracesData` at `buf[start, end)`: the columns pass, the model built from it
 * (again from a `seed` time reference when the builder asks to rebase), and details on demand.
 */
function decodeTracesData(
  buf: Uint8Array,
  start: number,
  end: number,
  partial: boolean,
  partialMessage: string | undefined,
  seed?: TimeRef,
): DecodedTrace {
  const pass = new ProtoColumnsPass(buf, seed);
  pass.tracesData(start, end);
  if (pass.raw.count === 0) throw notFound();
  const warnings: string[] = [];
  if (pass.otherTraceIds > 0)
    warnings.push(`${pass.otherTraceIds} spans carry a different trace ID than the first span.`);
  let traceId = pass.traceId();
  if (traceId === undefined) {
    traceId = '0'.repeat(32);
    warnings.push('No span carries a readable trace ID.');
  }
  const built = buildModel({
    raw: pass.raw,
    names: pass.names.values,
    services: pass.services.values,
    traceId,
    ref: pass.ref,
    partial,
    ...(partialMessage !== undefined ? { partialMessage } : {}),
    warnings,
  });
  if (built.rebase && !seed) return decodeTracesData(buf, start, end, partial, partialMessage, built.rebase);
  const details = new ProtoDetails(
    buf,
    built.order,
    pass.ranges(),
    pass.refHi,
    pass.refLo,
    built.startOffset,
  );
  const model = built.model;
  return {
    model,
    detail: (index: number) => details.detail(index, model),
  };
}

/** Rejects protobuf input that cannot be a trace at all, before any work is done. */
export function assertProtoStart(buf: Uint8Array): void {
  if (buf.length === 0) throw notFound();
  const first = buf[0]!;
  if ((first & 7) === 3 || (first & 7) === 4 || (first & 7) > 5 || first >>> 3 === 0) {
    throw new TraceDecodeError(
      'malformed',
      `The body is neither JSON nor a protobuf trace (it starts with byte 0x${first.toString(16).padStart(2, '0')}).`,
    );
  }
}
