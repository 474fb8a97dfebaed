/**
 * OTLP wire formats and the OTLP/HTTP receiver (issue 10). The gRPC receiver is not exported
 * here: it lives in its own bundle (`grpcServer.ts` → `dist/grpc.js`), loaded when a receiver starts.
 */
export {
  exportResponse,
  otlpHttpHandler,
  statusBody,
  type OtlpHttpOptions,
  type OtlpSink,
} from './httpReceiver';
export { jsonToProto, OtlpDecodeError, parseJsonBody } from './json';
export { protoToJson, type JsonValue } from './toJson';
export { scanLogs, scanTraces } from './scan';
export type { GrpcReceiver, GrpcReceiverOptions } from './grpcServer';
