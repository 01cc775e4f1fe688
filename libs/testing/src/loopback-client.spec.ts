import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callJson, fetchFrom, freshLoopbackAddress } from './loopback-client';

interface Seen {
  peer: string | undefined;
  method: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('the loopback client', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ peer: req.socket.remoteAddress, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words');
        if (req.url === '/empty') return void res.writeHead(204).end();
        if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 500);
        res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => seen.splice(0));

  it('draws loopback addresses apart from 127.0.0.1', () => {
    const addresses = new Set(Array.from({ length: 20 }, () => freshLoopbackAddress()));
    expect(addresses.size).toBeGreaterThan(15);
    for (const address of addresses) expect(address).toMatch(/^127\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])\.\d{1,3}\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/);
  });

  it('sends JSON with a token from the address given, and parses the JSON answer', async () => {
    const from = freshLoopbackAddress();
    const answer = await callJson<{ ok: boolean }>('POST', `${url}/json`, { from, token: 't0k', body: { a: [1] }, headers: { 'x-request-id': 'r-1' } });
    expect(answer).toMatchObject({ status: 201, body: { ok: true } });
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(seen[0]).toMatchObject({ peer: from, method: 'POST', body: '{"a":[1]}' });
    expect(seen[0].headers).toMatchObject({ authorization: 'Bearer t0k', 'content-type': 'application/json', 'x-request-id': 'r-1', 'content-length': '9' });
  });

  it('sends from 127.0.0.1 without a body or token when given none, and keeps a text or empty answer as it is', async () => {
    expect(await callJson('GET', `${url}/text`)).toMatchObject({ status: 200, body: 'plain words' });
    expect(await callJson('GET', `${url}/empty`)).toMatchObject({ status: 204, body: undefined });
    expect(seen[0].peer).toBe('127.0.0.1');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers['content-type']).toBeUndefined();
  });

  it('gives up on an answer that takes longer than the timeout', async () => {
    await expect(fetchFrom('127.0.0.1', `${url}/slow`, { timeoutMs: 100 })).rejects.toThrow(/within 100 ms/);
    await expect(callJson('GET', `${url}/slow`, { timeoutMs: 100 })).rejects.toThrow(/within 100 ms/);
  });
});
