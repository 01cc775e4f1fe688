import http from 'node:http';
import { describeJson, renderJson } from './json-text';
import { encodeUriPart, type FuzzRequest } from './request-arbitraries';

/** A request addressed and rendered: exactly the bytes that go out, and a line to read them by. */
export interface PreparedRequest {
  method: string;
  baseUrl: string;
  /** Path and query, percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The body for reports: huge or deep parts by their label. */
  bodyDescription?: string;
  /** The body as text, for the echo check. */
  bodyText: string;
  /** Stream routes are read for their status and headers only. */
  stream: boolean;
}

export interface Answered {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

/** Answers that take longer than this are failures (if the rerun is as slow). */
export const SLOW_MS = 2000;
/** A request gets no answer within this: reported as slow, never left hanging. */
const GIVE_UP_MS = 15_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function prepare(request: FuzzRequest, method: string, pathTemplate: string, baseUrl: string, token: string | undefined, stream: boolean): PreparedRequest {
  const path = pathTemplate.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = request.pathParams[name];
    return typeof value === 'object' ? value.encoded : encodeUriPart(value ?? '');
  });
  const query = request.query.map(([name, value]) => `${encodeUriPart(name)}=${encodeUriPart(value)}`).join('&');
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...request.headers };
  let body: Buffer | undefined;
  let bodyDescription: string | undefined;
  if (request.body?.kind === 'json') {
    body = Buffer.from(renderJson(request.body.value), 'utf8');
    bodyDescription = describeJson(request.body.value);
    headers['content-type'] ??= 'application/json';
  } else if (request.body?.kind === 'bytes') {
    body = request.body.bytes;
    bodyDescription = `«${request.body.label}» ${JSON.stringify(body.toString('latin1').slice(0, 200))} (bytes as latin1)`;
    if (request.body.contentType) headers['content-type'] ??= request.body.contentType;
  }
  return { method, baseUrl, path: query ? `${path}?${query}` : path, headers, body, bodyDescription, bodyText: body ? body.toString('utf8') : '', stream };
}

/** Sends it with Node's own client (no retries, no normalisation) and reads the answer. */
export function send(request: PreparedRequest): Promise<Answered> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const url = new URL(request.baseUrl);
    const outgoing = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const contentType = String(response.headers['content-type'] ?? '');
        if (request.stream && status < 400) {
          // An open event stream: the head is the answer; close it rather than wait for events.
          resolve({ status, contentType, text: '', ms: performance.now() - started });
          response.destroy();
          outgoing.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 1_048_576) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        response.on('error', reject);
      },
    );
    outgoing.setTimeout(GIVE_UP_MS, () => {
      outgoing.destroy();
      resolve({ status: 0, contentType: '', text: '', ms: GIVE_UP_MS });
    });
    outgoing.on('error', (error) => {
      // The server closed the connection on us (a crash, or a refusal before the head): no answer.
      if (performance.now() - started >= GIVE_UP_MS) return;
      resolve({ status: -1, contentType: '', text: `connection error: ${error.message}`, ms: performance.now() - started });
    });
    outgoing.end(request.body);
  });
}

/** Everything the request carried, as text: what it brought itself is no leak in the answer. */
export function sentText(request: PreparedRequest): string {
  let path = request.path;
  try {
    path = decodeURIComponent(request.path);
  } catch {
    // broken encoding on purpose; the raw path is what was sent
  }
  return [request.path, path, ...Object.values(request.headers), request.bodyText].join('\n');
}

/** A request as a report shows it: enough to send it again by hand. */
export function describeRequest(request: PreparedRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${name === 'authorization' && value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars)` : JSON.stringify(value)}`)
    .join('; ');
  const path = request.path.length > 400 ? `${request.path.slice(0, 300)}…(${request.path.length} chars)` : request.path;
  return `${request.method} ${request.baseUrl}${path}\n      headers: ${headers || '(none)'}\n      body: ${request.bodyDescription ?? '(none)'}`;
}
