import type { IncomingMessage } from 'node:http';

/** The body of a JSON response, whatever its status. */
export function readJson(res: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        reject(new Error(`${res.statusCode ?? '?'} with a body that is not JSON: ${text.slice(0, 200)}`));
      }
    });
  });
}

/** The `{ error: { type, message } }` body our services answer with when a call fails. */
export function errorOf(body: unknown): { type: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const type = 'type' in error && typeof error.type === 'string' ? error.type : 'Error';
  const message = 'message' in error && typeof error.message === 'string' ? error.message : 'failed';
  return { type, message };
}
