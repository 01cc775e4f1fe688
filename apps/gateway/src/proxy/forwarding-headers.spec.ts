import { forwardingHeaders } from './forwarding-headers';

describe('forwardingHeaders', () => {
  const base = { requestId: 'req-1', forwardedPrefix: '/api', protocol: 'http', host: 'localhost:4004' };

  it('gives the request id, the prefix, the protocol, the host and the client address', () => {
    expect(forwardingHeaders({ ...base, clientAddress: '10.0.0.7' })).toEqual({
      'x-request-id': 'req-1',
      'x-forwarded-prefix': '/api',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:4004',
      'x-forwarded-for': '10.0.0.7',
    });
  });

  it('names only the client the gateway determined, never a chain the client wrote', () => {
    expect(forwardingHeaders({ ...base, clientAddress: '203.0.113.9' })['x-forwarded-for']).toBe('203.0.113.9');
    expect(forwardingHeaders({ ...base })).not.toHaveProperty('x-forwarded-for');
  });

  it('leaves X-Forwarded-Host out when the request named no host (HTTP/1.0)', () => {
    expect(forwardingHeaders({ requestId: 'req-1', forwardedPrefix: '/api', protocol: 'http', clientAddress: '10.0.0.7' })).toEqual({
      'x-request-id': 'req-1',
      'x-forwarded-prefix': '/api',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '10.0.0.7',
    });
    expect(forwardingHeaders({ ...base, host: '' })).not.toHaveProperty('x-forwarded-host');
  });
});
