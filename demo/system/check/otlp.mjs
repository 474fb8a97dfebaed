// OTLP wire formats, just enough for the demo check: the protobuf export requests the SDK sends
// (traces and logs), and the Tempo-style JSON of a trace (`/api/traces/<id>`: `batches` or
// `resourceSpans`, IDs in hex or base64, int64 values as strings). Both become the same plain
// records, so the checks do not care where a trace came from.
//
//   span = { traceId, spanId, parentSpanId, name, kind, service, startNs, endNs, attributes,
//            events: [{ name, attributes }], links: [{ traceId, spanId, attributes }],
//            status: { code, message } }
//   log  = { traceId, spanId, service, severityText, body, attributes }
//
// IDs are lower-case hex ('' when absent), times BigInt nanoseconds, kind 0-5 and status code
// 0-2 as in the protobuf enums, attribute values plain JS (int64 as Number when exact, else BigInt).

// ---------------------------------------------------------------------------------------------
// Protobuf reader

class Reader {
  constructor(bytes) {
    this.buf = bytes;
    this.pos = 0;
  }

  get done() {
    return this.pos >= this.buf.length;
  }

  varint() {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint longer than 10 bytes');
    }
  }

  fixed64() {
    if (this.pos + 8 > this.buf.length) throw new Error('truncated fixed64');
    const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readBigUInt64LE(0);
    this.pos += 8;
    return v;
  }

  double() {
    if (this.pos + 8 > this.buf.length) throw new Error('truncated double');
    const v = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readDoubleLE(0);
    this.pos += 8;
    return v;
  }

  bytes() {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('truncated length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Calls `onField(fieldNumber, wireType)` per field; it must consume the value or return false. */
  fields(onField) {
    while (!this.done) {
      const tag = Number(this.varint());
      const field = tag >>> 3;
      const wire = tag & 7;
      if (onField(field, wire) === false) this.skip(wire);
    }
  }

  skip(wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const text = (bytes) => Buffer.from(bytes).toString('utf8');
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const int64 = (u) => {
  const signed = BigInt.asIntN(64, u);
  return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(signed)
    : signed;
};

function anyValue(bytes) {
  const r = new Reader(bytes);
  let value;
  r.fields((f, w) => {
    if (f === 1 && w === 2) value = text(r.bytes());
    else if (f === 2 && w === 0) value = r.varint() !== 0n;
    else if (f === 3 && w === 0) value = int64(r.varint());
    else if (f === 4 && w === 1) value = r.double();
    else if (f === 5 && w === 2) value = arrayValue(r.bytes());
    else if (f === 6 && w === 2) value = Object.fromEntries(keyValues(r.bytes()));
    else if (f === 7 && w === 2) value = Buffer.from(r.bytes());
    else return false;
  });
  return value;
}

function arrayValue(bytes) {
  const r = new Reader(bytes);
  const out = [];
  r.fields((f, w) => (f === 1 && w === 2 ? void out.push(anyValue(r.bytes())) : false));
  return out;
}

/** A KeyValueList message's entries. */
function keyValues(bytes) {
  const r = new Reader(bytes);
  const out = [];
  r.fields((f, w) => (f === 1 && w === 2 ? void out.push(keyValue(r.bytes())) : false));
  return out;
}

function keyValue(bytes) {
  const r = new Reader(bytes);
  let key = '';
  let value;
  r.fields((f, w) => {
    if (f === 1 && w === 2) key = text(r.bytes());
    else if (f === 2 && w === 2) value = anyValue(r.bytes());
    else return false;
  });
  return [key, value];
}

function resource(bytes) {
  const r = new Reader(bytes);
  const attributes = {};
  r.fields((f, w) => {
    if (f !== 1 || w !== 2) return false;
    const [k, v] = keyValue(r.bytes());
    attributes[k] = v;
  });
  return attributes;
}

/** Resource/scope envelope shared by traces and logs: field 1 resource, 2 scope lists. */
function envelopes(bytes, onScopeItem, itemField) {
  const r = new Reader(bytes);
  r.fields((f, w) => {
    if (f !== 1 || w !== 2) return false;
    const rr = new Reader(r.bytes());
    let res = {};
    const scopes = [];
    rr.fields((f2, w2) => {
      if (f2 === 1 && w2 === 2) res = resource(rr.bytes());
      else if (f2 === 2 && w2 === 2) scopes.push(rr.bytes());
      else return false;
    });
    for (const scope of scopes) {
      const sr = new Reader(scope);
      sr.fields((f3, w3) => (f3 === itemField && w3 === 2 ? void onScopeItem(sr.bytes(), res) : false));
    }
  });
}

function span(bytes, res) {
  const r = new Reader(bytes);
  const s = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    service: String(res['service.name'] ?? ''),
    startNs: 0n,
    endNs: 0n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
  };
  r.fields((f, w) => {
    if (f === 1 && w === 2) s.traceId = hex(r.bytes());
    else if (f === 2 && w === 2) s.spanId = hex(r.bytes());
    else if (f === 4 && w === 2) s.parentSpanId = hex(r.bytes());
    else if (f === 5 && w === 2) s.name = text(r.bytes());
    else if (f === 6 && w === 0) s.kind = Number(r.varint());
    else if (f === 7 && w === 1) s.startNs = r.fixed64();
    else if (f === 8 && w === 1) s.endNs = r.fixed64();
    else if (f === 9 && w === 2) {
      const [k, v] = keyValue(r.bytes());
      s.attributes[k] = v;
    } else if (f === 11 && w === 2) s.events.push(event(r.bytes()));
    else if (f === 13 && w === 2) s.links.push(link(r.bytes()));
    else if (f === 15 && w === 2) s.status = status(r.bytes());
    else return false;
  });
  return s;
}

function event(bytes) {
  const r = new Reader(bytes);
  const e = { name: '', attributes: {} };
  r.fields((f, w) => {
    if (f === 2 && w === 2) e.name = text(r.bytes());
    else if (f === 3 && w === 2) {
      const [k, v] = keyValue(r.bytes());
      e.attributes[k] = v;
    } else return false;
  });
  return e;
}

function link(bytes) {
  const r = new Reader(bytes);
  const l = { traceId: '', spanId: '', attributes: {} };
  r.fields((f, w) => {
    if (f === 1 && w === 2) l.traceId = hex(r.bytes());
    else if (f === 2 && w === 2) l.spanId = hex(r.bytes());
    else if (f === 4 && w === 2) {
      const [k, v] = keyValue(r.bytes());
      l.attributes[k] = v;
    } else return false;
  });
  return l;
}

function status(bytes) {
  const r = new Reader(bytes);
  const s = { code: 0, message: '' };
  r.fields((f, w) => {
    if (f === 2 && w === 2) s.message = text(r.bytes());
    else if (f === 3 && w === 0) s.code = Number(r.varint());
    else return false;
  });
  return s;
}

function logRecord(bytes, res) {
  const r = new Reader(bytes);
  const l = {
    traceId: '',
    spanId: '',
    service: String(res['service.name'] ?? ''),
    severityText: '',
    body: undefined,
    attributes: {},
  };
  r.fields((f, w) => {
    if (f === 3 && w === 2) l.severityText = text(r.bytes());
    else if (f === 5 && w === 2) l.body = anyValue(r.bytes());
    else if (f === 6 && w === 2) {
      const [k, v] = keyValue(r.bytes());
      l.attributes[k] = v;
    } else if (f === 9 && w === 2) l.traceId = hex(r.bytes());
    else if (f === 10 && w === 2) l.spanId = hex(r.bytes());
    else return false;
  });
  return l;
}

/** The spans of an `ExportTraceServiceRequest` (protobuf). Throws on a malformed body. */
export function decodeTraceRequest(bytes) {
  const out = [];
  envelopes(bytes, (b, res) => out.push(span(b, res)), 2);
  return out;
}

/** The log records of an `ExportLogsServiceRequest` (protobuf). Throws on a malformed body. */
export function decodeLogsRequest(bytes) {
  const out = [];
  envelopes(bytes, (b, res) => out.push(logRecord(b, res)), 2);
  return out;
}

// ---------------------------------------------------------------------------------------------
// OTLP JSON, Tempo style

const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'];

/** Hex as it is, base64 (Tempo's JSON) decoded; '' for none. */
function jsonId(v) {
  if (!v) return '';
  if (/^[0-9a-f]+$/i.test(v) && (v.length === 32 || v.length === 16)) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

function jsonEnum(v, names, prefix) {
  if (typeof v === 'number') return v;
  const i = names.indexOf(String(v ?? '').replace(prefix, ''));
  return i < 0 ? 0 : i;
}

function jsonValue(v) {
  if (!v || typeof v !== 'object') return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return int64(BigInt.asUintN(64, BigInt(v.intValue)));
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(jsonValue);
  if ('kvlistValue' in v) return jsonAttributes(v.kvlistValue.values);
  if ('bytesValue' in v) return Buffer.from(v.bytesValue, 'base64');
  return undefined;
}

function jsonAttributes(list) {
  return Object.fromEntries((list ?? []).map((a) => [a.key, jsonValue(a.value)]));
}

/** The spans of a trace in OTLP JSON as Tempo's `/api/traces/<id>` answers it. */
export function spansFromJson(body) {
  const out = [];
  for (const rs of body.batches ?? body.resourceSpans ?? []) {
    const res = jsonAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: jsonId(s.traceId),
          spanId: jsonId(s.spanId),
          parentSpanId: jsonId(s.parentSpanId),
          name: s.name ?? '',
          kind: jsonEnum(s.kind, KIND_NAMES, 'SPAN_KIND_'),
          service: String(res['service.name'] ?? ''),
          startNs: BigInt(s.startTimeUnixNano ?? 0),
          endNs: BigInt(s.endTimeUnixNano ?? 0),
          attributes: jsonAttributes(s.attributes),
          events: (s.events ?? []).map((e) => ({
            name: e.name ?? '',
            attributes: jsonAttributes(e.attributes),
          })),
          links: (s.links ?? []).map((l) => ({
            traceId: jsonId(l.traceId),
            spanId: jsonId(l.spanId),
            attributes: jsonAttributes(l.attributes),
          })),
          status: {
            code: jsonEnum(s.status?.code, STATUS_NAMES, 'STATUS_CODE_'),
            message: s.status?.message ?? '',
          },
        });
      }
    }
  }
  return out;
}

/** The inverse, in Tempo's 2.x shape (`batches`, base64 IDs, enum names): what the collector serves. */
export function spansToJson(spans) {
  const b64 = (h) => (h ? Buffer.from(h, 'hex').toString('base64') : undefined);
  const value = (v) =>
    typeof v === 'string'
      ? { stringValue: v }
      : typeof v === 'boolean'
        ? { boolValue: v }
        : typeof v === 'bigint' || Number.isInteger(v)
          ? { intValue: String(v) }
          : typeof v === 'number'
            ? { doubleValue: v }
            : Array.isArray(v)
              ? { arrayValue: { values: v.map(value) } }
              : { stringValue: String(v) };
  const attrs = (o) => Object.entries(o).map(([key, v]) => ({ key, value: value(v) }));
  const byService = new Map();
  for (const s of spans) {
    if (!byService.has(s.service)) byService.set(s.service, []);
    byService.get(s.service).push({
      traceId: b64(s.traceId),
      spanId: b64(s.spanId),
      parentSpanId: b64(s.parentSpanId),
      name: s.name,
      kind: `SPAN_KIND_${KIND_NAMES[s.kind]}`,
      startTimeUnixNano: String(s.startNs),
      endTimeUnixNano: String(s.endNs),
      attributes: attrs(s.attributes),
      events: s.events.map((e) => ({ name: e.name, attributes: attrs(e.attributes) })),
      links: s.links.map((l) => ({
        traceId: b64(l.traceId),
        spanId: b64(l.spanId),
        attributes: attrs(l.attributes),
      })),
      status: s.status.code
        ? { code: `STATUS_CODE_${STATUS_NAMES[s.status.code]}`, message: s.status.message }
        : {},
    });
  }
  return {
    batches: [...byService].map(([service, list]) => ({
      resource: { attributes: attrs({ 'service.name': service }) },
      scopeSpans: [{ spans: list }],
    })),
  };
}
