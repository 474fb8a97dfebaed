// A minimal protobuf writer for OTLP TracesData, for the fake Tempo's traces that have no
// recorded `.pb` (and its v2 envelope). Plain Node, test-only; split from fakeTempo.mjs.

/** base64 (Tempo JSON) or hex (OTLP JSON) ID → lower-case hex. */
export function idToHex(value) {
  if (typeof value !== 'string' || value === '') return '';
  if (/^[0-9a-fA-F]+$/.test(value) && (value.length === 32 || value.length === 16))
    return value.toLowerCase();
  return Buffer.from(value, 'base64').toString('hex');
}

export function idToBytes(value) {
  const hex = idToHex(value);
  return Buffer.from(hex, 'hex');
}

export function varint(n) {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out = [];
  while (v > 127n) {
    out.push(Number((v & 127n) | 128n));
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

export const tag = (field, wire) => varint((field << 3) | wire);
export const lenField = (field, buf) => Buffer.concat([tag(field, 2), varint(buf.length), buf]);
export const strField = (field, s) => (s ? lenField(field, Buffer.from(String(s), 'utf8')) : Buffer.alloc(0));
export const bytesField = (field, b) => (b && b.length ? lenField(field, b) : Buffer.alloc(0));
export const varintField = (field, n) =>
  n && BigInt(n) !== 0n ? Buffer.concat([tag(field, 0), varint(n)]) : Buffer.alloc(0);
function fixed64Field(field, n) {
  if (!n || BigInt(n) === 0n) return Buffer.alloc(0);
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return Buffer.concat([tag(field, 1), b]);
}
function fixed32Field(field, n) {
  if (!n) return Buffer.alloc(0);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(Number(n) >>> 0);
  return Buffer.concat([tag(field, 5), b]);
}
export const msgField = (field, parts) => lenField(field, Buffer.concat(parts));

export const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
export const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
export const enumValue = (names, v) => (typeof v === 'number' ? v : Math.max(0, names.indexOf(v ?? '')));

function encAnyValue(v = {}) {
  if ('stringValue' in v) return lenField(1, Buffer.from(String(v.stringValue), 'utf8'));
  if ('boolValue' in v) return Buffer.concat([tag(2, 0), varint(v.boolValue ? 1 : 0)]);
  if ('intValue' in v) return Buffer.concat([tag(3, 0), varint(v.intValue)]);
  if ('doubleValue' in v) {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(Number(v.doubleValue));
    return Buffer.concat([tag(4, 1), b]);
  }
  if ('arrayValue' in v)
    return msgField(
      5,
      (v.arrayValue.values ?? []).map((x) => msgField(1, [encAnyValue(x)])),
    );
  if ('kvlistValue' in v)
    return msgField(
      6,
      (v.kvlistValue.values ?? []).map((kv) => msgField(1, encKeyValue(kv))),
    );
  if ('bytesValue' in v) return lenField(7, Buffer.from(v.bytesValue, 'base64'));
  return Buffer.alloc(0);
}
const encKeyValue = (kv) => [strField(1, kv.key), msgField(2, [encAnyValue(kv.value)])];
const encAttributes = (field, attrs) => (attrs ?? []).map((kv) => msgField(field, encKeyValue(kv)));

function encSpan(s) {
  return [
    bytesField(1, idToBytes(s.traceId)),
    bytesField(2, idToBytes(s.spanId)),
    strField(3, s.traceState),
    bytesField(4, idToBytes(s.parentSpanId)),
    strField(5, s.name),
    varintField(6, enumValue(SPAN_KINDS, s.kind)),
    fixed64Field(7, s.startTimeUnixNano),
    fixed64Field(8, s.endTimeUnixNano),
    ...encAttributes(9, s.attributes),
    varintField(10, s.droppedAttributesCount),
    ...(s.events ?? []).map((e) =>
      msgField(11, [
        fixed64Field(1, e.timeUnixNano),
        strField(2, e.name),
        ...encAttributes(3, e.attributes),
        varintField(4, e.droppedAttributesCount),
      ]),
    ),
    varintField(12, s.droppedEventsCount),
    ...(s.links ?? []).map((l) =>
      msgField(13, [
        bytesField(1, idToBytes(l.traceId)),
        bytesField(2, idToBytes(l.spanId)),
        strField(3, l.traceState),
        ...encAttributes(4, l.attributes),
        varintField(5, l.droppedAttributesCount),
        fixed32Field(6, l.flags),
      ]),
    ),
    varintField(14, s.droppedLinksCount),
    ...(s.status
      ? [
          msgField(15, [
            strField(2, s.status.message),
            varintField(3, enumValue(STATUS_CODES, s.status.code)),
          ]),
        ]
      : []),
    fixed32Field(16, s.flags),
  ];
}

/** OTLP JSON ResourceSpans[] (`scopeSpans` or legacy `instrumentationLibrarySpans`) → TracesData bytes. */
export function encodeTracesData(resourceSpans) {
  return Buffer.concat(
    resourceSpans.map((rs) =>
      msgField(1, [
        ...(rs.resource ? [msgField(1, encAttributes(1, rs.resource.attributes))] : []),
        ...(rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []).map((ss) => {
          const scope = ss.scope ?? ss.instrumentationLibrary;
          return msgField(2, [
            ...(scope
              ? [
                  msgField(1, [
                    strField(1, scope.name),
                    strField(2, scope.version),
                    ...encAttributes(3, scope.attributes),
                  ]),
                ]
              : []),
            ...(ss.spans ?? []).map((s) => msgField(2, encSpan(s))),
            strField(3, ss.schemaUrl),
          ]);
        }),
        strField(3, rs.schemaUrl),
      ]),
    ),
  );
}
