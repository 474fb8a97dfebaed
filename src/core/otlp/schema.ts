/**
 * The OTLP messages the receiver reads and writes, as a table of field descriptors: the one
 * place that knows field numbers, JSON names and value kinds for traces, logs, the export
 * responses and `google.rpc.Status`. The JSON transcoders (`json.ts`, `toJson.ts`) walk it; the
 * hot ingest path (`scan.ts`) uses the field numbers directly.
 *
 * Field numbers follow opentelemetry-proto `collector/{trace,logs}/v1/*_service.proto`,
 * `trace/v1/trace.proto`, `logs/v1/logs.proto`, `common/v1/common.proto`,
 * `resource/v1/resource.proto`, and googleapis `google/rpc/status.proto`.
 */

/** How a field's value is encoded on the wire and in JSON. */
export type FieldKind =
  | 'string'
  | 'bytes' // base64 in JSON
  | 'id' // trace/span ID bytes: hex in OTLP/JSON, base64 in Tempo's JSON
  | 'fixed64' // uint64 nanoseconds: a decimal string in JSON
  | 'fixed32'
  | 'uint32'
  | 'int32'
  | 'int64' // a decimal string in JSON
  | 'bool'
  | 'double'
  | 'enum'
  | 'message';

/** One field of a message. */
export interface FieldSpec {
  no: number;
  /** lowerCamelCase JSON name; the snake_case spelling is accepted too. */
  json: string;
  kind: FieldKind;
  repeated?: boolean;
  /** For `message` fields: the message's name in `MESSAGES`. */
  type?: MessageName;
  /** For `enum` fields: value names by number. */
  names?: readonly string[];
  /** Member of AnyValue's oneof: written even when zero. */
  oneof?: boolean;
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;
const SEVERITIES: readonly string[] = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`),
  ),
];

const f = (no: number, json: string, kind: FieldKind, more: Partial<FieldSpec> = {}): FieldSpec => ({
  no,
  json,
  kind,
  ...more,
});
const msg = (no: number, json: string, type: MessageName, repeated = false): FieldSpec => ({
  no,
  json,
  kind: 'message',
  type,
  ...(repeated ? { repeated } : {}),
});
const attrs = (no: number): FieldSpec => msg(no, 'attributes', 'KeyValue', true);

/** A message the receiver transcodes. */
export type MessageName =
  | 'ExportTraceServiceRequest'
  | 'ExportLogsServiceRequest'
  | 'TracesData'
  | 'ResourceSpans'
  | 'ResourceLogs'
  | 'Resource'
  | 'ScopeSpans'
  | 'ScopeLogs'
  | 'InstrumentationScope'
  | 'Span'
  | 'Event'
  | 'Link'
  | 'Status'
  | 'LogRecord'
  | 'KeyValue'
  | 'AnyValue'
  | 'ArrayValue'
  | 'KeyValueList'
  | 'ExportTraceServiceResponse'
  | 'ExportTracePartialSuccess'
  | 'ExportLogsServiceResponse'
  | 'ExportLogsPartialSuccess'
  | 'RpcStatus'
  | 'TraceByIDResponse';

/** Every message the receiver transcodes, by name. */
export const MESSAGES: Record<MessageName, FieldSpec[]> = {
  ExportTraceServiceRequest: [msg(1, 'resourceSpans', 'ResourceSpans', true)],
  ExportLogsServiceRequest: [msg(1, 'resourceLogs', 'ResourceLogs', true)],
  /** Tempo's v1 trace-by-ID message (`tempopb.Trace`, the same wire layout as `TracesData`). */
  TracesData: [msg(1, 'resourceSpans', 'ResourceSpans', true)],
  ResourceSpans: [
    msg(1, 'resource', 'Resource'),
    msg(2, 'scopeSpans', 'ScopeSpans', true),
    f(3, 'schemaUrl', 'string'),
  ],
  ResourceLogs: [
    msg(1, 'resource', 'Resource'),
    msg(2, 'scopeLogs', 'ScopeLogs', true),
    f(3, 'schemaUrl', 'string'),
  ],
  Resource: [attrs(1), f(2, 'droppedAttributesCount', 'uint32')],
  ScopeSpans: [
    msg(1, 'scope', 'InstrumentationScope'),
    msg(2, 'spans', 'Span', true),
    f(3, 'schemaUrl', 'string'),
  ],
  ScopeLogs: [
    msg(1, 'scope', 'InstrumentationScope'),
    msg(2, 'logRecords', 'LogRecord', true),
    f(3, 'schemaUrl', 'string'),
  ],
  InstrumentationScope: [
    f(1, 'name', 'string'),
    f(2, 'version', 'string'),
    attrs(3),
    f(4, 'droppedAttributesCount', 'uint32'),
  ],
  Span: [
    f(1, 'traceId', 'id'),
    f(2, 'spanId', 'id'),
    f(3, 'traceState', 'string'),
    f(4, 'parentSpanId', 'id'),
    f(16, 'flags', 'fixed32'),
    f(5, 'name', 'string'),
    f(6, 'kind', 'enum', { names: SPAN_KINDS }),
    f(7, 'startTimeUnixNano', 'fixed64'),
    f(8, 'endTimeUnixNano', 'fixed64'),
    attrs(9),
    f(10, 'droppedAttributesCount', 'uint32'),
    msg(11, 'events', 'Event', true),
    f(12, 'droppedEventsCount', 'uint32'),
    msg(13, 'links', 'Link', true),
    f(14, 'droppedLinksCount', 'uint32'),
    msg(15, 'status', 'Status'),
  ],
  Event: [
    f(1, 'timeUnixNano', 'fixed64'),
    f(2, 'name', 'string'),
    attrs(3),
    f(4, 'droppedAttributesCount', 'uint32'),
  ],
  Link: [
    f(1, 'traceId', 'id'),
    f(2, 'spanId', 'id'),
    f(3, 'traceState', 'string'),
    attrs(4),
    f(5, 'droppedAttributesCount', 'uint32'),
    f(6, 'flags', 'fixed32'),
  ],
  Status: [f(2, 'message', 'string'), f(3, 'code', 'enum', { names: STATUS_CODES })],
  LogRecord: [
    f(1, 'timeUnixNano', 'fixed64'),
    f(11, 'observedTimeUnixNano', 'fixed64'),
    f(2, 'severityNumber', 'enum', { names: SEVERITIES }),
    f(3, 'severityText', 'string'),
    msg(5, 'body', 'AnyValue'),
    attrs(6),
    f(7, 'droppedAttributesCount', 'uint32'),
    f(8, 'flags', 'fixed32'),
    f(9, 'traceId', 'id'),
    f(10, 'spanId', 'id'),
    f(12, 'eventName', 'string'),
  ],
  KeyValue: [f(1, 'key', 'string'), msg(2, 'value', 'AnyValue')],
  AnyValue: [
    f(1, 'stringValue', 'string', { oneof: true }),
    f(2, 'boolValue', 'bool', { oneof: true }),
    f(3, 'intValue', 'int64', { oneof: true }),
    f(4, 'doubleValue', 'double', { oneof: true }),
    { ...msg(5, 'arrayValue', 'ArrayValue'), oneof: true },
    { ...msg(6, 'kvlistValue', 'KeyValueList'), oneof: true },
    f(7, 'bytesValue', 'bytes', { oneof: true }),
  ],
  ArrayValue: [msg(1, 'values', 'AnyValue', true)],
  KeyValueList: [msg(1, 'values', 'KeyValue', true)],
  ExportTraceServiceResponse: [msg(1, 'partialSuccess', 'ExportTracePartialSuccess')],
  ExportTracePartialSuccess: [f(1, 'rejectedSpans', 'int64'), f(2, 'errorMessage', 'string')],
  ExportLogsServiceResponse: [msg(1, 'partialSuccess', 'ExportLogsPartialSuccess')],
  ExportLogsPartialSuccess: [f(1, 'rejectedLogRecords', 'int64'), f(2, 'errorMessage', 'string')],
  /** `google.rpc.Status`, the body of an OTLP/HTTP error (details are left out). */
  RpcStatus: [f(1, 'code', 'int32'), f(2, 'message', 'string')],
  /** Tempo's v2 trace-by-ID envelope; `status` 1 is PARTIAL. */
  TraceByIDResponse: [
    msg(1, 'trace', 'TracesData'),
    f(3, 'status', 'enum', { names: ['COMPLETE', 'PARTIAL'] }),
    f(4, 'message', 'string'),
  ],
};

const byNumber = new Map<MessageName, Map<number, FieldSpec>>();
const byJson = new Map<MessageName, Map<string, FieldSpec>>();
for (const name of Object.keys(MESSAGES) as MessageName[]) {
  const n = new Map<number, FieldSpec>();
  const j = new Map<string, FieldSpec>();
  for (const field of MESSAGES[name]) {
    n.set(field.no, field);
    j.set(field.json, field);
    j.set(
      field.json.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      field,
    );
  }
  byNumber.set(name, n);
  byJson.set(name, j);
}

/** The field of `message` with number `no`, if the schema has it. */
export function fieldByNumber(message: MessageName, no: number): FieldSpec | undefined {
  return byNumber.get(message)!.get(no);
}

/** A message's fields by number in arrays, for code that checks every tag it reads. */
export interface WireTable {
  /** Wire type of field number `i`; -1 (or past the end) when the schema does not know it. */
  readonly wire: Int8Array;
  /** The message type of field number `i` when it is a message field. */
  readonly sub: readonly (MessageName | undefined)[];
}

const wireTables = new Map<MessageName, WireTable>();

/** The `WireTable` of `message` (built once). */
export function wireTable(message: MessageName): WireTable {
  let t = wireTables.get(message);
  if (!t) {
    const fields = MESSAGES[message];
    const max = fields.reduce((m, f) => Math.max(m, f.no), 0);
    const wire = new Int8Array(max + 1).fill(-1);
    const sub: (MessageName | undefined)[] = new Array<MessageName | undefined>(max + 1).fill(undefined);
    for (const f of fields) {
      wire[f.no] = wireTypeOf(f.kind);
      if (f.kind === 'message') sub[f.no] = f.type;
    }
    t = { wire, sub };
    wireTables.set(message, t);
  }
  return t;
}

/** The field of `message` with JSON name `key` (camelCase or snake_case), if any. */
export function fieldByJson(message: MessageName, key: string): FieldSpec | undefined {
  return byJson.get(message)!.get(key);
}

/** Wire type of a field kind. */
export function wireTypeOf(kind: FieldKind): number {
  switch (kind) {
    case 'fixed64':
    case 'double':
      return 1;
    case 'fixed32':
      return 5;
    case 'string':
    case 'bytes':
    case 'id':
    case 'message':
      return 2;
    default:
      return 0;
  }
}
