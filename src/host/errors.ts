import { BackendError } from '../core/backends';
import { TraceDecodeError } from '../core/decode';

/** One sentence for a person, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof BackendError || err instanceof TraceDecodeError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return String(err);
}
