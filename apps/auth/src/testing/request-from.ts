import { request } from 'node:http';
import { randomInt } from 'node:crypto';

/** A loopback address of its own (127.0.0.0/8 all reaches this host), so per-address counts never mix between tests. */
export function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface AnswerFrom {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  elapsedMs: number;
}

/**
 * One HTTP request sent from `localAddress` (a 127.x.y.z address): the server sees that address
 * on the socket, without any forwarding header to trust or not.
 */
export function requestFrom(
  url: string,
  localAddress: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<AnswerFrom> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        localAddress,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body, elapsedMs: Date.now() - started });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
