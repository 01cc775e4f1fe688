import { randomInt } from 'node:crypto';
import { request } from 'node:http';
import { targetUrl, type Answer, type CallOptions, type Target } from './security-clients';

/** A loopback address of its own (all of 127.0.0.0/8 reaches this host): counted apart from every other test's. */
export function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/**
 * One call sent from `localAddress` on the socket, with no forwarding header: the gateway sees
 * the client's real address, whichever forwarding headers it trusts.
 */
export function callFrom<T = any>(localAddress: string, target: Target, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${targetUrl(target)}${path}`,
      {
        method,
        localAddress,
        timeout: 15_000,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
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
            // not JSON; keep the text
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve({ status: incoming.statusCode ?? 0, headers, body: body as T });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} from ${localAddress} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
