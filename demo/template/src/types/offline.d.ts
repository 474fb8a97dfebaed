// Minimal typings for the few third-party APIs this project touches, so that it reads cleanly
// in an editor before `npm install` (the demo workspace has no node_modules).

declare module '@opentelemetry/api' {
  export type AttributeValue = string | number | boolean | string[] | number[];
  export type Attributes = Record<string, AttributeValue | undefined>;
  export enum SpanKind {
    INTERNAL = 0,
    SERVER = 1,
    CLIENT = 2,
    PRODUCER = 3,
    CONSUMER = 4,
  }
  export enum SpanStatusCode {
    UNSET = 0,
    OK = 1,
    ERROR = 2,
  }
  export interface SpanContext {
    traceId: string;
    spanId: string;
    traceFlags: number;
  }
  export interface Span {
    spanContext(): SpanContext;
    setAttribute(key: string, value: AttributeValue): this;
    setAttributes(attributes: Attributes): this;
    recordException(exception: Error): void;
    setStatus(status: { code: SpanStatusCode; message?: string }): this;
    end(): void;
  }
  export interface Context {
    getValue(key: symbol): unknown;
  }
  export interface Tracer {
    startSpan(name: string, options?: { kind?: SpanKind; attributes?: Attributes }, context?: Context): Span;
  }
  export const trace: {
    getTracer(name: string, version?: string): Tracer;
    setSpan(context: Context, span: Span): Context;
  };
  export const context: { active(): Context };
}

declare module 'pg' {
  export interface QueryResult<R> {
    rows: R[];
    rowCount: number | null;
  }
  export class DatabaseError extends Error {
    code?: string;
  }
  export class Pool {
    constructor(config?: { connectionString?: string; max?: number; statement_timeout?: number });
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  }
}

declare const process: {
  env: Record<string, string | undefined>;
  exitCode?: number;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): void;
};
