import express from 'express';
import type { AddressInfo } from 'node:net';
import { trustProxies } from './trusted-proxies';

/** What req.ip is for a request from loopback that claims to come from 203.0.113.9. */
async function clientSeen(proxies: string[] | undefined): Promise<string> {
  const http = express();
  trustProxies(http, proxies);
  http.get('/', (req, res) => res.send(req.ip));
  const server = http.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).text();
  } finally {
    server.close();
  }
}

describe('trustProxies', () => {
  it('believes no X-Forwarded-For when no proxy is named', async () => {
    expect(await clientSeen(undefined)).toBe('127.0.0.1');
    expect(await clientSeen([])).toBe('127.0.0.1');
  });

  it('believes the X-Forwarded-For of a named proxy (address, CIDR block or range name)', async () => {
    expect(await clientSeen(['loopback'])).toBe('203.0.113.9');
    expect(await clientSeen(['127.0.0.0/8'])).toBe('203.0.113.9');
    expect(await clientSeen(['10.0.0.0/22'])).toBe('127.0.0.1');
  });
});
