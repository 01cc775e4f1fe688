import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerOf, distinctFailures, newStats, operationSeed, violationsOf, type Failure } from './fuzz-runner';
import type { PreparedRequest } from './send-request';

/** A local server whose answers are scripted per request: delay, status, content type, body. */
function scriptedServer(script: { delayMs: number; status: number; stream?: boolean }[]) {
  let call = 0;
  const server = http.createServer((_req, res) => {
    const step = script[Math.min(call++, script.length - 1)];
    setTimeout(() => {
      if (step.stream) {
        res.writeHead(step.status, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n'); // never ends, like a live stream
        return;
      }
      res.writeHead(step.status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'x', status: step.status }));
    }, step.delayMs);
  });
  return new Promise<{ url: string; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

const request = (baseUrl: string, stream = false): PreparedRequest => ({ method: 'GET', baseUrl, path: '/x', headers: {}, bodyText: '', stream });

describe('latency rule', () => {
  it('lets a slow answer pass when the rerun is fast', async () => {
    const server = await scriptedServer([{ delayMs: 150, status: 400 }, { delayMs: 0, status: 400 }]);
    const stats = newStats();
    const answer = await answerOf(request(server.url), stats, 100);
    server.close();
    expect(stats.reruns).toBe(1);
    expect(violationsOf(request(server.url), answer)).toEqual([]);
  });

  it('fails an answer that is slow on the rerun too', async () => {
    const server = await scriptedServer([{ delayMs: 150, status: 400 }]);
    const answer = await answerOf(request(server.url), newStats(), 100);
    server.close();
    expect(violationsOf(request(server.url), answer).map((v) => v.kind)).toEqual(['slow']);
  });

  it('reads an event stream for its head only and never holds its length against it', async () => {
    const server = await scriptedServer([{ delayMs: 150, status: 200, stream: true }]);
    const stats = newStats();
    const answer = await answerOf(request(server.url, true), stats, 100);
    server.close();
    expect(answer.status).toBe(200);
    expect(stats.reruns).toBe(0);
    expect(violationsOf(request(server.url, true), answer)).toEqual([]);
  });

  it('fails a 5xx at once', async () => {
    const server = await scriptedServer([{ delayMs: 0, status: 502 }]);
    const answer = await answerOf(request(server.url), newStats(), 100);
    server.close();
    expect(violationsOf(request(server.url), answer).map((v) => v.kind)).toEqual(['server-error']);
  });
});

describe('reports', () => {
  it('give each operation its own seed, stable across runs', () => {
    expect(operationSeed(1, 'GET a')).toBe(operationSeed(1, 'GET a'));
    expect(operationSeed(1, 'GET a')).not.toBe(operationSeed(1, 'GET b'));
  });

  it('group failures by route, target kind, input class, status and violation', () => {
    const failure = (target: string, inputClass: string): Failure => ({
      operation: 'POST appointment:/appointments',
      target,
      method: 'POST',
      path: '/appointments',
      caller: 'ADMIN',
      inputClass,
      status: 500,
      violations: [{ kind: 'server-error', detail: '500' }],
      request: '',
      answer: '',
      replay: '',
    });
    const groups = distinctFailures([failure('appointment', 'body.reason:nul'), failure('appointment', 'body.reason:nul'), failure('appointment', 'body:deep-array-5000')]);
    expect([...groups.keys()]).toEqual([
      'POST /appointments [service] input body.reason:nul → 500 server-error',
      'POST /appointments [service] input body:deep-array-5000 → 500 server-error',
    ]);
  });
});
