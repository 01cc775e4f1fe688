import { randomInt } from 'node:crypto';
import { request } from 'node:http';

/**
 * A loopback address of its own (127.0.0.0/8 all reaches this machine), so one test's client is
 * counted apart from every other's by address-based limits, without any forwarding header.
 */
export function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

export interface FetchFromInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Milliseconds before the request is given up; default 15 s. */
  timeoutMs?: number;
}

/** `fetch` from a chosen local address (Node's fetch cannot bind one): the server sees that peer. */
export function fetchFrom(localAddress: string, url: string, init: FetchFromInit = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, localAddress, timeout: init.timeoutMs ?? 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
        }
        const status = res.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage, headers }));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within ${init.timeoutMs ?? 15_000} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}
