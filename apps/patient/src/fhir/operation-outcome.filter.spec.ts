import { ArgumentsHost, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { DomainError, ProblemException } from '@pm/platform';
import { FhirOutcomeException } from './fhir-input';
import { OperationOutcomeFilter } from './operation-outcome.filter';

class ThrottledError extends DomainError {
  static readonly spec = { code: 'TEST_THROTTLED', status: 429, description: 'slow down' };
}
class BrokenError extends DomainError {
  static readonly spec = { code: 'TEST_BROKEN', status: 503, description: 'down' };
}

function answer(exception: unknown, headersSent = false) {
  const sent: { status?: number; type?: string; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    headersSent,
    set: (headers: Record<string, string>) => Object.assign(sent.headers, headers),
    status(status: number) {
      sent.status = status;
      return this;
    },
    type(type: string) {
      sent.type = type;
      return this;
    },
    send: (body: string) => (sent.body = JSON.parse(body)),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new OperationOutcomeFilter().catch(exception, host);
  return sent;
}

describe('OperationOutcomeFilter', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('answers a FhirOutcomeException as it is, in application/fhir+json', () => {
    const sent = answer(FhirOutcomeException.invalid({ 'Patient.birthDate': 'bad' }));
    expect(sent).toMatchObject({ status: 400, type: 'application/fhir+json' });
    expect(sent.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ expression: ['Patient.birthDate'] }] });
  });

  it('answers a DomainError with its status, code and headers', () => {
    const sent = answer(new ThrottledError('wait', { headers: { 'Retry-After': '3' } }));
    expect(sent).toMatchObject({ status: 429, headers: { 'Retry-After': '3' } });
    expect(sent.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'throttled', diagnostics: 'wait', details: { text: 'TEST_THROTTLED' } }] });
    expect(answer(new BrokenError()).body).toMatchObject({ issue: [{ severity: 'fatal', code: 'transient' }] });
  });

  it('answers a problem exception naming fields with one issue per field, and a plain HttpException with its message', () => {
    const sent = answer(ProblemException.badRequest('bad', { name: 'must not contain NUL' }));
    expect(sent.body).toMatchObject({ issue: [{ expression: ['name'], diagnostics: 'name: must not contain NUL' }] });
    expect(answer(new ProblemException(403, 'The BILLING role may not do this')).body).toMatchObject({ issue: [{ code: 'forbidden', diagnostics: 'The BILLING role may not do this' }] });
    expect(answer(new NotFoundException('Cannot GET /fhir/R4/x'))).toMatchObject({ status: 404, body: { issue: [{ code: 'not-found', diagnostics: 'Cannot GET /fhir/R4/x' }] } });
    expect(answer(new HttpException('upstream broke', 502))).toMatchObject({ status: 502, body: { issue: [{ severity: 'fatal', code: 'exception' }] } });
  });

  it('answers an unknown error with a bare 500, and writes nothing once headers are sent', () => {
    expect(answer(new TypeError('x is undefined (select * from patients)'))).toMatchObject({
      status: 500,
      body: { issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'An unexpected error occurred' }] },
    });
    // Logged by its summary, never answered with it.
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ error: expect.anything() }), 'Unhandled error');
    expect(answer(new Error('late'), true).status).toBeUndefined();
  });
});
