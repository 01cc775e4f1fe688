import { status as GrpcStatus } from '@grpc/grpc-js';
import { ArgumentsHost, Controller, Get, INestApplication, Logger, NotFoundException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiConflictResponse, ApiNotFoundResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiErrors } from './api-errors';
import { DomainError, FieldError, grpcStatusFor } from './domain-error';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { ProblemDetailsFilter } from './problem-details.filter';

class ThingNotFoundError extends DomainError {
  static readonly spec = { code: 'THING_NOT_FOUND', status: 404, description: 'No thing has this id' };

  constructor(id: string) {
    super(`No thing ${id}`);
  }
}

class ThingTakenError extends DomainError {
  static readonly spec = { code: 'THING_TAKEN', status: 409, description: 'Someone has it', grpcStatus: GrpcStatus.ABORTED };

  constructor(field: string) {
    super('The thing is taken', { fields: { errors: { [field]: 'is taken' } }, message: `taken (${field})` });
  }
}

class ThingOwnedError extends ThingTakenError {}

class ThingLockedError extends DomainError {
  static readonly spec = { code: 'THING_LOCKED', status: 423, description: 'Locked', detail: 'The thing is locked' };
}

class BadThingFieldError extends FieldError {
  static readonly spec = { code: 'THING_FIELD_INVALID', status: 400, description: 'A field is wrong' };
}

class ThingBusyError extends DomainError {
  static readonly spec = { code: 'THING_BUSY', status: 503, description: 'Try later', title: 'Busy' };

  constructor(seconds: number) {
    super('The thing is busy', { headers: { 'Retry-After': String(seconds) }, cause: new Error('pool exhausted') });
  }
}

/** What the filter sent: status, headers, content type and the parsed body. */
function answer(exception: unknown, originalUrl = '/things/t-1') {
  const sent = { status: 0, headers: {} as Record<string, string>, type: '', body: undefined as unknown };
  const response = {
    headersSent: false,
    set: (headers: Record<string, string>) => (Object.assign(sent.headers, headers), response),
    status: (status: number) => ((sent.status = status), response),
    type: (type: string) => ((sent.type = type), response),
    send: (body: string) => ((sent.body = JSON.parse(body)), response),
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ originalUrl }) }) } as Pick<ArgumentsHost, 'getType' | 'switchToHttp'>;
  new ProblemDetailsFilter().catch(exception, host as ArgumentsHost);
  return sent;
}

describe('DomainError', () => {
  it('carries its spec: code, statuses and the reason phrase as title', () => {
    const error = new ThingNotFoundError('t-1');
    expect(error).toMatchObject({ code: 'THING_NOT_FOUND', status: 404, grpcStatus: GrpcStatus.NOT_FOUND, title: 'Not Found', detail: 'No thing t-1' });
    expect(error.message).toBe('No thing t-1');
    expect(error.name).toBe('ThingNotFoundError');
    expect(error).toBeInstanceOf(Error);
  });

  it('keeps a message for logs apart from the detail a client reads, and a declared gRPC status and title', () => {
    const error = new ThingTakenError('name');
    expect(error.message).toBe('taken (name)');
    expect(error.detail).toBe('The thing is taken');
    expect(error.grpcStatus).toBe(GrpcStatus.ABORTED);
    expect(new ThingBusyError(3).title).toBe('Busy');
    expect(new ThingBusyError(3).cause).toEqual(new Error('pool exhausted'));
  });

  it('is inherited with its spec by a subclass that declares none', () => {
    expect(new ThingOwnedError('name')).toMatchObject({ code: 'THING_TAKEN', status: 409, name: 'ThingOwnedError' });
  });

  it("says its spec's detail when constructed without one, and the status's title without either", () => {
    expect(new ThingLockedError()).toMatchObject({ detail: 'The thing is locked', message: 'The thing is locked', title: 'Client Error' });
  });

  it('names the field at fault as a FieldError, its message the detail', () => {
    expect(new BadThingFieldError('size', 'size must be positive').toProblem()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'size must be positive',
      errors: { size: 'size must be positive' },
      code: 'THING_FIELD_INVALID',
    });
    expect(new BadThingFieldError('size', 'x').field).toBe('size');
  });

  it('is the problem it always was, plus its code', () => {
    expect(new ThingTakenError('name').toProblem()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'The thing is taken',
      errors: { name: 'is taken' },
      code: 'THING_TAKEN',
    });
  });

  it.each([
    [400, GrpcStatus.INVALID_ARGUMENT],
    [401, GrpcStatus.UNAUTHENTICATED],
    [403, GrpcStatus.PERMISSION_DENIED],
    [404, GrpcStatus.NOT_FOUND],
    [409, GrpcStatus.ALREADY_EXISTS],
    [412, GrpcStatus.FAILED_PRECONDITION],
    [422, GrpcStatus.INVALID_ARGUMENT],
    [429, GrpcStatus.RESOURCE_EXHAUSTED],
    [503, GrpcStatus.UNAVAILABLE],
    [500, GrpcStatus.INTERNAL],
    [418, GrpcStatus.FAILED_PRECONDITION],
  ])('reads HTTP %i as gRPC %i by default', (http, grpc) => {
    expect(grpcStatusFor(http)).toBe(grpc);
  });
});

describe('ProblemDetailsFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a DomainError with its problem+json, code and headers', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const sent = answer(new ThingBusyError(30));
    expect(sent).toEqual({
      status: 503,
      type: PROBLEM_CONTENT_TYPE,
      headers: { 'Retry-After': '30' },
      body: { type: 'about:blank', title: 'Busy', status: 503, detail: 'The thing is busy', code: 'THING_BUSY' },
    });
  });

  it('logs a 5xx DomainError, never a 4xx one', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    answer(new ThingNotFoundError('t-1'));
    expect(logged).not.toHaveBeenCalled();
    answer(new ThingBusyError(1));
    expect(logged).toHaveBeenCalledWith({ error: expect.objectContaining({ type: 'ThingBusyError', code: 'THING_BUSY' }) }, 'Request failed');
  });

  it("answers Nest's HttpExceptions as before, without a code", () => {
    expect(answer(new NotFoundException('Cannot GET /x')).body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Cannot GET /x' });
  });

  it('answers an unknown error with a bare 500 and logs it', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const sent = answer(new Error('relation "patients" does not exist'));
    expect(sent.body).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred' });
    expect(sent.headers).toEqual({});
    expect(logged).toHaveBeenCalledWith({ error: expect.objectContaining({ message: 'relation "patients" does not exist' }) }, 'Unhandled error');
  });
});

describe('ProblemDetailsFilter on FHIR paths', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers the same facts as an OperationOutcome in application/fhir+json: detail, code, each field an expression', () => {
    const sent = answer(new BadThingFieldError('date', 'date must be YYYY-MM-DD'), '/fhir/R4/Thing?date=x');
    expect(sent).toEqual({
      status: 400,
      type: 'application/fhir+json',
      headers: {},
      body: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics: 'date must be YYYY-MM-DD', details: { text: 'THING_FIELD_INVALID' }, expression: ['date'] }],
      },
    });
  });

  it("keeps a DomainError's headers, and answers Nest's HttpExceptions without a code", () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(answer(new ThingBusyError(30), '/FHIR/r4/Thing/1')).toMatchObject({ status: 503, headers: { 'Retry-After': '30' }, body: { issue: [{ severity: 'fatal', code: 'transient' }] } });
    expect(answer(new NotFoundException('Cannot GET /fhir/R4/Thing/1/x'), '/fhir/R4/Thing/1/x').body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Cannot GET /fhir/R4/Thing/1/x' }],
    });
  });

  it('answers an unknown error with a bare fatal outcome, its message kept for the log', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    expect(answer(new Error('connect ECONNREFUSED 10.0.0.5:5432'), '/fhir/R4/Thing').body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'An unexpected error occurred' }],
    });
    expect(logged).toHaveBeenCalled();
  });

  it('stays problem+json beside /fhir', () => {
    expect(answer(new ThingNotFoundError('t-1'), '/fhirx/1').type).toBe(PROBLEM_CONTENT_TYPE);
  });
});

describe('@ApiErrors', () => {
  @Controller('things')
  class ThingsController {
    @Get(':id')
    @ApiErrors(ThingNotFoundError, ThingTakenError, ThingOwnedError)
    @ApiNotFoundResponse({ description: 'No such thing' })
    find(): void {}

    @Get()
    @ApiConflictResponse({ description: 'Taken' })
    @ApiErrors(ThingTakenError)
    list(): void {}
  }

  let app: INestApplication;
  let responses: (path: string) => Record<string, { description: string; content?: Record<string, { schema: { properties: { code: { enum: string[]; description: string } } } }> }>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    responses = (path) => (document.paths[path].get as { responses: ReturnType<typeof responses> }).responses;
  });

  afterAll(() => app.close());

  it("lists each status's codes in a problem+json schema and keeps the operation's description, whatever the order", () => {
    const one = responses('/things/{id}');
    expect(one['404'].description).toBe('No such thing');
    expect(one['404'].content?.[PROBLEM_CONTENT_TYPE].schema.properties.code.enum).toEqual(['THING_NOT_FOUND']);
    expect(one['409'].content?.[PROBLEM_CONTENT_TYPE].schema.properties.code.enum).toEqual(['THING_TAKEN']);
    expect(one['409'].content?.[PROBLEM_CONTENT_TYPE].schema.properties.code.description).toBe('THING_TAKEN: Someone has it');
    const all = responses('/things');
    expect(all['409'].description).toBe('Taken');
    expect(all['409'].content?.[PROBLEM_CONTENT_TYPE].schema.properties.code.enum).toEqual(['THING_TAKEN']);
  });
});
