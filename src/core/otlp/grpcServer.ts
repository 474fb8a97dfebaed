/**
 * OTLP/gRPC: `opentelemetry.proto.collector.{trace,logs}.v1.{Trace,Logs}Service/Export` on
 * `@grpc/grpc-js`, the default transport of the .NET, Go and Python SDKs.
 *
 * The service is defined by hand with identity (de)serialisers: requests reach the same sink as
 * OTLP/HTTP as raw protobuf bytes, and responses are the bytes `exportResponse` writes, so no
 * `.proto` file is parsed at run time. This module is built into its own bundle (`dist/grpc.js`)
 * and loaded only when the receiver starts, so activating the extension never loads gRPC.
 */
import * as grpc from '@grpc/grpc-js';
import { busyInfo, exportResponse, type OtlpSink } from './httpReceiver';
import { OtlpDecodeError } from './json';

/** A running gRPC receiver. */
export interface GrpcReceiver {
  /** The port it listens on (the real one when 0 was asked). */
  readonly port: number;
  close(): Promise<void>;
}

/** Options of `startGrpcReceiver`. */
export interface GrpcReceiverOptions {
  host: string;
  port: number;
  /** Cap on a request message (decompressed). Default 16 MiB. */
  maxBodyBytes?: number;
  log?: (message: string) => void;
}

const identity = (b: Buffer): Buffer => b;

function exportMethod(service: string, kind: 'traces' | 'logs', sink: OtlpSink, log: (m: string) => void) {
  const definition: grpc.MethodDefinition<Buffer, Buffer> = {
    path: `/opentelemetry.proto.collector.${kind === 'traces' ? 'trace' : 'logs'}.v1.${service}/Export`,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
  const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    const body = new Uint8Array(call.request.buffer, call.request.byteOffset, call.request.byteLength);
    let pending: Promise<{ rejected: number; reason?: string }>;
    try {
      pending = sink.append(kind, body);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then(
      (r) => {
        const message = r.rejected > 0 ? (r.reason ?? 'some items were not valid') : '';
        callback(null, Buffer.from(exportResponse(kind, r.rejected, message, false)));
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof OtlpDecodeError) {
          log(`OTLP/gRPC ${kind}: ${message}`);
          return callback({ code: grpc.status.INVALID_ARGUMENT, details: message });
        }
        const busy = busyInfo(err);
        // UNAVAILABLE is retryable for every OTLP exporter; RESOURCE_EXHAUSTED only with retry info.
        callback({ code: busy ? grpc.status.UNAVAILABLE : grpc.status.INTERNAL, details: message });
      },
    );
  };
  return { definition, handler };
}

/** Starts the OTLP/gRPC receiver; rejects when the port cannot be bound (e.g. taken). */
export function startGrpcReceiver(sink: OtlpSink, options: GrpcReceiverOptions): Promise<GrpcReceiver> {
  const max = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const log = options.log ?? (() => undefined);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': max,
    'grpc.max_send_message_length': 1024 * 1024,
  });
  for (const [service, kind] of [
    ['TraceService', 'traces'],
    ['LogsService', 'logs'],
  ] as const) {
    const m = exportMethod(service, kind, sink, log);
    server.addService({ Export: m.definition }, { Export: m.handler });
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) {
        server.forceShutdown();
        return reject(err);
      }
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              server.forceShutdown();
              done();
            }, 2000);
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
