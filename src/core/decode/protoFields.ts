/**
 * Protobuf tags (field number << 3 | wire type) of the OTLP trace messages and of Tempo's
 * `TraceByIDResponse`, named after their message and field. Numbers follow opentelemetry-proto
 * `trace/v1/trace.proto`, `common/v1/common.proto`, `resource/v1/resource.proto` and
 * `collector/trace/v1/trace_service.proto`, and Tempo's `tempopb/tempo.proto`.
 */

/** `TracesData.resource_spans` = `ExportTraceServiceRequest.resource_spans` = tempopb `Trace.batches` (1). */
export const TRACES_RESOURCE_SPANS = 0x0a;

// tempopb.TraceByIDResponse { Trace trace = 1; TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4; }
export const RESPONSE_TRACE = 0x0a;
export const RESPONSE_STATUS = 0x18;
export const RESPONSE_MESSAGE = 0x22;
/** `PartialStatus.PARTIAL`. */
export const RESPONSE_STATUS_PARTIAL = 1;

// ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
export const RESOURCE_SPANS_RESOURCE = 0x0a;
/** Field number of `scope_spans`. */
export const RESOURCE_SPANS_SCOPE_SPANS_FIELD = 2;
/** Field number of `instrumentation_library_spans`, the same message before OTLP 0.19. */
export const RESOURCE_SPANS_LEGACY_SCOPE_SPANS_FIELD = 1000;

// Resource { repeated KeyValue attributes = 1; }
export const RESOURCE_ATTRIBUTES = 0x0a;

// ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
export const SCOPE_SPANS_SCOPE = 0x0a;
export const SCOPE_SPANS_SPANS = 0x12;

// InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; }
export const SCOPE_NAME = 0x0a;
export const SCOPE_VERSION = 0x12;
export const SCOPE_ATTRIBUTES = 0x1a;

// Span
export const SPAN_TRACE_ID = 0x0a;
export const SPAN_SPAN_ID = 0x12;
export const SPAN_PARENT_ID = 0x22;
export const SPAN_NAME = 0x2a;
export const SPAN_KIND = 0x30;
export const SPAN_START = 0x39;
export const SPAN_END = 0x41;
export const SPAN_ATTRIBUTES = 0x4a;
export const SPAN_EVENTS = 0x5a;
export const SPAN_LINKS = 0x6a;
export const SPAN_STATUS = 0x7a;

// Span.Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
export const EVENT_TIME = 0x09;
export const EVENT_NAME = 0x12;
export const EVENT_ATTRIBUTES = 0x1a;

// Span.Link { bytes trace_id = 1; bytes span_id = 2; repeated KeyValue attributes = 4; }
export const LINK_TRACE_ID = 0x0a;
export const LINK_SPAN_ID = 0x12;
export const LINK_ATTRIBUTES = 0x22;

// Status { int32 deprecated_code = 1 (before OTLP 0.9); string message = 2; StatusCode code = 3; }
export const STATUS_DEPRECATED_CODE = 0x08;
export const STATUS_MESSAGE = 0x12;
export const STATUS_CODE = 0x18;

// KeyValue { string key = 1; AnyValue value = 2; }
export const KEY_VALUE_KEY = 0x0a;
export const KEY_VALUE_VALUE = 0x12;

// AnyValue: one of string, bool, int, double, array, kvlist, bytes (1 to 7).
export const ANY_STRING = 0x0a;
export const ANY_BOOL = 0x10;
export const ANY_INT = 0x18;
export const ANY_DOUBLE = 0x21;
export const ANY_ARRAY = 0x2a;
export const ANY_KVLIST = 0x32;
export const ANY_BYTES = 0x3a;

// ArrayValue { repeated AnyValue values = 1; } and KeyValueList { repeated KeyValue values = 1; }
export const LIST_VALUES = 0x0a;
