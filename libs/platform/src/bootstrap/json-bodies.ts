import type { NestExpressApplication } from '@nestjs/platform-express';
import { ProblemException } from '../problem';
import type { NextFunction, Request, Response } from 'express';
import { TextDecoder } from 'node:util';

/** Deeper JSON is refused before it is parsed: no request needs it, and walking it costs stack. */
export const MAX_JSON_DEPTH = 64;

const OPENERS = new Set(['{'.charCodeAt(0), '['.charCodeAt(0)]);
const CLOSERS = new Set(['}'.charCodeAt(0), ']'.charCodeAt(0)]);
const QUOTE = '"'.charCodeAt(0);
const BACKSLASH = '\\'.charCodeAt(0);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// fatal: a byte sequence that is not UTF-8 is refused rather than silently replaced.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * True when the JSON text nests objects/arrays deeper than `maxDepth`. It scans the bytes (the
 * brackets, quotes and backslash are ASCII, never part of a multi-byte character), so a body of a
 * million brackets costs one pass rather than a parse.
 */
export function jsonNestingExceeds(json: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPENERS.has(byte)) {
      if (++depth > maxDepth) return true;
    } else if (CLOSERS.has(byte)) depth--;
  }
  return false;
}

/** Settled: a request carries a body when it declares a length above 0 or is chunked. */
export function carriesBody(req: Pick<Request, 'headers'>): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}

/** `application/json` or a JSON-based type (`application/merge-patch+json`, `application/fhir+json`), in UTF-8. */
export function jsonMediaType(contentType: string | undefined): 'json' | 'not-json' | 'not-utf8' {
  const [mediaType, ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json' && !/^application\/[a-z0-9.!#$&^_-]+\+json$/.test(mediaType)) return 'not-json';
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' ? 'json' : 'not-utf8';
}

/** A body the raw reader has read (a Buffer) as a JSON value; errors never quote the body, which may hold patient data. */
export function parseJsonBody(raw: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  // Like body-parser: an empty body (Content-Length: 0) is an empty object.
  if (raw.length === 0) return {};
  const bytes = raw.subarray(0, 3).equals(UTF8_BOM) ? raw.subarray(3) : raw;
  if (jsonNestingExceeds(bytes, maxDepth)) {
    throw ProblemException.badRequest('The request body is nested too deeply', { body: `must not be nested deeper than ${maxDepth} levels` });
  }
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    // JSON.parse's message quotes the text around the error.
    throw ProblemException.badRequest('The request body is not valid JSON', { body: 'must be valid UTF-8 JSON' });
  }
  if (typeof value !== 'object' || value === null) {
    throw ProblemException.badRequest('The request body must be a JSON object or array', { body: 'must be a JSON object or array' });
  }
  return value;
}

/** The raw reader's (body-parser's) failures, as problems that name the limit rather than echo anything. */
function bodyReadProblem(error: { status?: number; type?: string }, maxBytes: number): ProblemException {
  switch (error.type) {
    case 'entity.too.large':
      return new ProblemException(413, `The request body is larger than ${maxBytes} bytes`);
    case 'encoding.unsupported':
      return new ProblemException(415, "The request body's Content-Encoding is not supported");
    default:
      return ProblemException.badRequest('The request body could not be read');
  }
}

/**
 * Every service's one body parser: JSON only (a body of another type, or none declared, is 415;
 * body-less requests pass as before), at most `maxBytes` (413), nested at most MAX_JSON_DEPTH levels,
 * and errors as problem+json that never quote the body.
 */
export function useJsonBodies(app: NestExpressApplication, maxBytes: number): void {
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (!carriesBody(req)) return next();
    const type = jsonMediaType(req.headers['content-type']);
    if (type === 'not-json') return next(new ProblemException(415, 'The request body must be JSON (Content-Type: application/json)'));
    if (type === 'not-utf8') return next(new ProblemException(415, 'The request body must be JSON in UTF-8'));
    next();
  });
  // body-parser reads the bytes (limit, Content-Encoding); parsing is ours, to bound depth first.
  app.useBodyParser('raw', { type: () => true, limit: maxBytes });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (!Buffer.isBuffer(req.body)) return next();
    try {
      req.body = parseJsonBody(req.body);
      next();
    } catch (error) {
      next(error);
    }
  });
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    // body-parser marks its errors with a `type`; a 5xx among them is a fault of ours and stays one.
    const readError = error as { status?: number; type?: string } | undefined;
    const clientFault = typeof readError?.type === 'string' && typeof readError.status === 'number' && readError.status < 500;
    next(clientFault && !(error instanceof ProblemException) ? bodyReadProblem(readError, maxBytes) : error);
  });
}
