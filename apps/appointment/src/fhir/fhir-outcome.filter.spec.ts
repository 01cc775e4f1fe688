import { type ArgumentsHost, Logger } from '@nestjs/common';
import { FhirOutcomeFilter } from './fhir-outcome.filter';
import { InvalidFhirSearchError } from './fhir-appointments.errors';

function hostOf(type: string, headersSent = false) {
  const response = { headersSent, status: jest.fn().mockReturnThis(), set: jest.fn().mockReturnThis(), type: jest.fn().mockReturnThis(), send: jest.fn().mockReturnThis() };
  const host = { getType: () => type, switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response };
}

describe('FhirOutcomeFilter', () => {
  const filter = new FhirOutcomeFilter();

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('answers an error as an OperationOutcome naming the field and the code', () => {
    const { host, response } = hostOf('http');
    filter.catch(new InvalidFhirSearchError('date', 'date must be YYYY-MM-DD'), host);
    expect(response.status).toHaveBeenCalledWith(400);
    expect(response.type).toHaveBeenCalledWith('application/fhir+json');
    expect(JSON.parse(response.send.mock.calls[0][0] as string)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', diagnostics: 'date must be YYYY-MM-DD', details: { text: 'APPOINTMENT_FHIR_SEARCH_INVALID' }, expression: ['date'] }],
    });
  });

  it('answers an unknown error 500 without its message', () => {
    const { host, response } = hostOf('http');
    filter.catch(new Error('connect ECONNREFUSED 10.0.0.5:5432'), host);
    expect(Logger.prototype.error).toHaveBeenCalled();
    expect(response.status).toHaveBeenCalledWith(500);
    expect(JSON.parse(response.send.mock.calls[0][0] as string)).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'An unexpected error occurred' }],
    });
  });

  it('leaves an answer that has started alone', () => {
    const { host, response } = hostOf('http', true);
    filter.catch(new Error('late'), host);
    expect(response.send).not.toHaveBeenCalled();
  });

  it('rethrows outside HTTP', () => {
    const error = new Error('rpc');
    expect(() => filter.catch(error, hostOf('rpc').host)).toThrow(error);
  });
});
