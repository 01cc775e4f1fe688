import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ProblemException, UNSAFE_TEXT_MESSAGE } from '../problem';
import { gzipSync } from 'node:zlib';
import { CoreModule } from './core.module';
import { MAX_JSON_DEPTH, carriesBody, jsonMediaType, jsonNestingExceeds, parseJsonBody, useJsonBodies } from './json-bodies';

const nested = (depth: number, inner = '') => '['.repeat(depth) + inner + ']'.repeat(depth);

describe('JSON nesting', () => {
  it('allows 64 levels and refuses 65', () => {
    expect(jsonNestingExceeds(Buffer.from(nested(64)), 64)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(nested(65)), 64)).toBe(true);
    expect(jsonNestingExceeds(Buffer.from(`{"a":${nested(63)}}`), 64)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(`{"a":${nested(64)}}`), 64)).toBe(true);
  });

  it('counts siblings once, not their sum', () => {
    const wide = `[${Array.from({ length: 200 }, () => nested(10)).join(',')}]`;
    expect(jsonNestingExceeds(Buffer.from(wide), 64)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '['.repeat(100), quoted: 'a\\"[[[[' + '{'.repeat(100), after: [1] });
    expect(jsonNestingExceeds(Buffer.from(text), 2)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from(JSON.stringify({ a: 'x\\', b: [[[1]]] })), 3)).toBe(true);
  });
});

describe('parseJsonBody', () => {
  const problemOf = (raw: Buffer) => {
    try {
      parseJsonBody(raw);
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      return (error as ProblemException).getResponse() as { status: number; detail: string; errors?: Record<string, string> };
    }
    throw new Error('expected the body to be refused');
  };

  it('parses an object, an array, an empty body (as {}) and a body after a UTF-8 byte order mark', () => {
    expect(parseJsonBody(Buffer.from('{"a":[1,{"b":"\u{1F600}"}]}'))).toEqual({ a: [1, { b: '\u{1F600}' }] });
    expect(parseJsonBody(Buffer.from('[1]'))).toEqual([1]);
    expect(parseJsonBody(Buffer.alloc(0))).toEqual({});
    expect(parseJsonBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]))).toEqual({ a: 1 });
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels as a 400 naming the body, before parsing it`, () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(problemOf(Buffer.from(nested(5000)))).toMatchObject({ status: 400, errors: { body: 'must not be nested deeper than 64 levels' } });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    expect(parseJsonBody(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
  });

  it('refuses invalid JSON without quoting any of it', () => {
    const secret = 'Jane Secret-Patient 1985-06-15';
    const answer = problemOf(Buffer.from(`{"name": "${secret}", oops}`));
    expect(answer).toMatchObject({ status: 400, detail: 'The request body is not valid JSON', errors: { body: 'must be valid UTF-8 JSON' } });
    expect(JSON.stringify(answer)).not.toMatch(/Secret|oops|1985/);
  });

  it('refuses bytes that are not UTF-8, and a bare string, number or null', () => {
    expect(problemOf(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))).toMatchObject({ status: 400, errors: { body: 'must be valid UTF-8 JSON' } });
    for (const text of ['"text"', '42', 'null']) expect(problemOf(Buffer.from(text))).toMatchObject({ status: 400, errors: { body: 'must be a JSON object or array' } });
  });
});

describe('what counts as a JSON body', () => {
  it.each([
    [{ 'content-length': '2' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{ 'content-length': '0' }, false],
    [{}, false],
  ])('headers %p carry a body: %p', (headers, expected) => {
    expect(carriesBody({ headers })).toBe(expected);
  });

  it.each([
    ['application/json', 'json'],
    ['Application/JSON; charset=UTF-8', 'json'],
    ['application/merge-patch+json', 'json'],
    ['application/json; charset=utf-16', 'not-utf8'],
    ['text/plain', 'not-json'],
    ['application/x-www-form-urlencoded', 'not-json'],
    ['application/jsonp', 'not-json'],
    [undefined, 'not-json'],
  ])('%p is %p', (contentType, expected) => {
    expect(jsonMediaType(contentType)).toBe(expected);
  });
});

@Controller()
class ProbeController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown): unknown {
    return body;
  }

  @Post('nothing')
  @HttpCode(204)
  nothing(): void {}

  @Get('items/:id')
  item(@Param('id') id: string, @Query() query: Record<string, string>): unknown {
    return { id, query };
  }
}

describe('useJsonBodies and the text rule over HTTP', () => {
  const MAX_BYTES = 4096;
  let app: NestExpressApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [CoreModule.forRoot({ serviceName: 'json-bodies-spec', config: { LOG_LEVEL: 'silent' } })],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
    useJsonBodies(app, MAX_BYTES);
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app?.close());

  const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });

  const expectProblem = async (response: Response, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as { status: number; detail: string; errors?: Record<string, string> };
  };

  it('parses a JSON body, of any +json type too', async () => {
    expect(await (await post('/echo', '{"a":[1,"\u{1F600}\u200f"]}')).json()).toEqual({ a: [1, '\u{1F600}\u200f'] });
    expect(await (await post('/echo', '{"a":1}', { 'content-type': 'application/merge-patch+json' })).json()).toEqual({ a: 1 });
  });

  it('reads a gzip-encoded body, and counts its limit after inflating it', async () => {
    const small = await post('/echo', gzipSync('{"a":1}'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(await small.json()).toEqual({ a: 1 });
    const bomb = gzipSync(JSON.stringify({ a: 'x'.repeat(MAX_BYTES * 10) }));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    await expectProblem(await post('/echo', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 413);
  });

  it('answers 415 to a body that is not JSON or declares no type, and keeps body-less POSTs as they were', async () => {
    const plain = await expectProblem(await post('/echo', '{"a":1}', { 'content-type': 'text/plain' }), 415);
    expect(plain.detail).toBe('The request body must be JSON (Content-Type: application/json)');
    await expectProblem(await post('/echo', new Blob([`{"a":1}`]), {}), 415);
    await expectProblem(await post('/echo', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
    await expectProblem(await post('/echo', '{"a":1}', { 'content-type': 'application/json; charset=latin1' }), 415);
    expect((await post('/nothing', undefined, {})).status).toBe(204);
    expect((await post('/nothing', '', { 'content-type': 'text/plain' })).status).toBe(204);
  });

  it('answers 415 to a chunked body that is not JSON', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('hello'));
        controller.close();
      },
    });
    const response = await fetch(`${baseUrl}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: stream, duplex: 'half' } as RequestInit);
    await expectProblem(response, 415);
  });

  it('answers 413 above the configured limit and accepts a body exactly at it', async () => {
    const atLimit = JSON.stringify({ a: 'x'.repeat(MAX_BYTES - 8) });
    expect(Buffer.byteLength(atLimit)).toBe(MAX_BYTES);
    expect((await post('/echo', atLimit)).status).toBe(200);
    const over = await expectProblem(await post('/echo', JSON.stringify({ a: 'x'.repeat(MAX_BYTES - 7) })), 413);
    expect(over.detail).toBe(`The request body is larger than ${MAX_BYTES} bytes`);
  });

  it('answers a deeply nested body with 400 naming the body', async () => {
    const deep = await expectProblem(await post('/echo', nested(2000)), 400);
    expect(deep.errors).toEqual({ body: 'must not be nested deeper than 64 levels' });
  });

  it('answers a parse error with 400 that quotes none of the body', async () => {
    const text = '{"name": "Jane Private-Patient", "dob": 1985-06-15}';
    const response = await post('/echo', text);
    const raw = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(raw)).toMatchObject({ detail: 'The request body is not valid JSON', errors: { body: 'must be valid UTF-8 JSON' } });
    expect(raw).not.toMatch(/Jane|Private|1985/);
  });

  it('refuses NUL and lone surrogates in body fields, query values and path parameters, naming each', async () => {
    const body = await expectProblem(await post('/echo', '{"email":"a\\ud800@example.com","address":{"city":"x\\u0000"}}'), 400);
    expect(body.errors).toEqual({ email: UNSAFE_TEXT_MESSAGE, 'address.city': UNSAFE_TEXT_MESSAGE });
    const query = await expectProblem(await fetch(`${baseUrl}/items/1?actorId=%00`), 400);
    expect(query.errors).toEqual({ actorId: UNSAFE_TEXT_MESSAGE });
    const param = await expectProblem(await fetch(`${baseUrl}/items/a%00b`), 400);
    expect(param.errors).toEqual({ id: UNSAFE_TEXT_MESSAGE });
  });

  it('accepts right-to-left marks and 4-byte characters everywhere text goes', async () => {
    const text = '\u200fשלום \u{1F600} \u{20000}';
    expect(await (await post('/echo', JSON.stringify({ note: text }))).json()).toEqual({ note: text });
    const item = await fetch(`${baseUrl}/items/${encodeURIComponent(text)}?q=${encodeURIComponent(text)}`);
    expect(await item.json()).toEqual({ id: text, query: { q: text } });
  });
});
