import type { Readable } from 'node:stream';

/** The body streamed past MAX_BODY_BYTES while being forwarded. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes`);
  }
}

/** True when the declared Content-Length is over the limit (Node refuses malformed ones itself). */
export function declaredLengthExceeds(contentLength: string | undefined, maxBytes: number): boolean {
  if (contentLength === undefined) return false;
  const length = Number(contentLength);
  return Number.isFinite(length) && length > maxBytes;
}

/**
 * Counts a body's bytes as they stream and calls `onExceeded` once when they pass `maxBytes`:
 * a chunked body declares no length, so only counting catches it.
 */
export function watchBodySize(body: Readable, maxBytes: number, onExceeded: () => void): void {
  let received = 0;
  const count = (chunk: Buffer | string) => {
    received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (received <= maxBytes) return;
    body.off('data', count);
    onExceeded();
  };
  body.on('data', count);
}
