import { forwardingHeaders } from './forwarding-headers';

describe('forwardingHeaders', () => {
  const base = { requestId: 'req-1', forwardedPrefix: '/api', protocol: 'http', host: 'localhost:4004' };

  it('gives the request id, the prefix, the protocol, the host and the client address', () => {
    expect(forwardingHeaders({ ...base, remoteAddress: '10.0.0.7' })).toEqual({
      'x-request-id': 'req-1',
      'x-forwarded-prefix': '/api',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'localhost:4004',
      'x-forwarded-for': '10.0.0.7',
    });
  });

  it('appends the client address to an X-Forwarded-For from a proxy in front', () => {
    expect(forwardingHeaders({ ...base, forwardedFor: '203.0.113.9', remoteAddress: '10.0.0.7' })['x-forwarded-for']).toBe(
      '203.0.113.9, 10.0.0.7',
    );
    expect(forwardingHeaders({ ...base, forwardedFor: ['1.1.1.1', '2.2.2.2'], remoteAddress: '10.0.0.7' })['x-forwarded-for']).toBe(
      '1.1.1.1, 2.2.2.2, 10.0.0.7',
    );
  });
});
