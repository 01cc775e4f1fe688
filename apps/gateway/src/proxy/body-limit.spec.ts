import { PassThrough } from 'node:stream';
import { declaredLengthExceeds, watchBodySize } from './body-limit';

describe('body limit', () => {
  it.each([
    [undefined, false],
    ['0', false],
    ['1024', false],
    ['1025', true],
    ['99999999999', true],
    ['abc', false],
  ])('Content-Length %p over 1024 bytes: %p', (length, over) => {
    expect(declaredLengthExceeds(length, 1024)).toBe(over);
  });

  it('calls back once, when a streamed body passes the limit, and not before', async () => {
    const body = new PassThrough();
    const seen: number[] = [];
    let received = 0;
    body.on('data', (chunk: Buffer) => (received += chunk.length));
    watchBodySize(body, 10, () => seen.push(received));
    body.write(Buffer.alloc(6));
    body.write(Buffer.alloc(4));
    await new Promise(setImmediate);
    expect(seen).toEqual([]);
    body.write(Buffer.alloc(1));
    body.write(Buffer.alloc(5));
    await new Promise(setImmediate);
    expect(seen).toEqual([11]);
  });

  it('leaves a body at the limit alone', async () => {
    const body = new PassThrough();
    let called = false;
    watchBodySize(body, 10, () => (called = true));
    body.end(Buffer.alloc(10));
    await new Promise(setImmediate);
    expect(called).toBe(false);
  });
});
