import { forwardedPrefix } from './forwarded-prefix';

describe('forwardedPrefix', () => {
  it.each([
    ['/api', '/api'],
    ['/api/', '/api'],
    ['/api/v1', '/api/v1'],
    [['/api', '/other'], '/api'],
    [undefined, ''],
    ['', ''],
    ['/', ''],
  ])('reads %p as %p', (header, expected) => {
    expect(forwardedPrefix(header)).toBe(expected);
  });

  it.each(['https://evil.example', '//evil.example', 'api', '/api?x=1', '/a b', '/api\r\nSet-Cookie: x=1'])('ignores the unsafe %p', (header) => {
    expect(forwardedPrefix(header)).toBe('');
  });
});
