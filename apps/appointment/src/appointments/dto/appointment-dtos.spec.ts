import type { ArgumentMetadata } from '@nestjs/common';
import { ProblemException, createValidationPipe } from '@pm/platform';
import { CreateAppointmentDto } from './create-appointment.dto';
import { ListAppointmentsQuery } from './list-appointments.query';
import { RescheduleAppointmentDto } from './reschedule-appointment.dto';

const pipe = createValidationPipe();

/** Runs the app's global pipe and returns the problem's `errors` (or {} when the input passes). */
async function fieldErrors(metatype: ArgumentMetadata['metatype'], type: 'body' | 'query', value: object) {
  try {
    await pipe.transform(value, { type, metatype });
    return {};
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const problem = error.getResponse() as { status: number; errors?: Record<string, string> };
    expect(problem.status).toBe(400);
    return problem.errors ?? {};
  }
}

describe('CreateAppointmentDto', () => {
  const valid = {
    patientId: '123e4567-e89b-12d3-a456-426614174000',
    doctorId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
    startTime: '2030-06-03T09:00:00Z',
    endTime: '2030-06-03T09:30:00+00:00',
    reason: 'Annual check-up',
  };
  const errorsFor = (body: object) => fieldErrors(CreateAppointmentDto, 'body', body);

  it('accepts a valid request, with an upper-case doctor id, and with any offset', async () => {
    expect(await errorsFor(valid)).toEqual({});
    expect(await errorsFor({ ...valid, doctorId: 'F47AC10B-58CC-4372-A567-0E02B2C3D479' })).toEqual({});
    expect(await errorsFor({ ...valid, startTime: '2030-06-03T11:00:00.123+02:00', endTime: '2030-06-03T09:30Z' })).toEqual({});
  });

  it('names every missing field with one message each', async () => {
    expect(await errorsFor({})).toEqual({
      patientId: 'patientId is required',
      doctorId: 'doctorId is required',
      startTime: 'startTime is required',
      endTime: 'endTime is required',
      reason: 'reason is required',
    });
  });

  it.each([
    ['patientId', 'not-a-uuid', 'patientId must be a UUID'],
    ['patientId', 42, 'patientId must be a UUID'],
    ['doctorId', 'nope', 'doctorId must be a UUID'],
    ['doctorId', null, 'doctorId is required'],
    ['doctorId', '', 'doctorId is required'],
    ['startTime', '2030-06-03', 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['startTime', '2030-06-03T09:00:00', 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['startTime', '2030-02-30T09:00:00Z', 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['startTime', 1900000000000, 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['endTime', 'tomorrow', 'endTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:30:00Z'],
    ['reason', '   ', 'reason is required'],
    ['reason', 7, 'reason must be a string'],
    ['reason', 'x'.repeat(501), 'reason must be at most 500 characters'],
  ])('refuses %s = %p', async (field, value, message) => {
    expect(await errorsFor({ ...valid, [field]: value })).toEqual({ [field]: message });
  });

  it('accepts a reason of exactly 500 characters', async () => {
    expect(await errorsFor({ ...valid, reason: 'x'.repeat(500) })).toEqual({});
  });

  it.each([
    ['before', '2030-06-03T08:59:59Z'],
    ['at the same instant as', '2030-06-03T11:00:00+02:00'],
  ])('refuses an endTime %s startTime, naming endTime', async (_, endTime) => {
    expect(await errorsFor({ ...valid, endTime })).toEqual({ endTime: 'endTime must be after startTime' });
  });

  it('does not blame endTime when only startTime is bad', async () => {
    expect(await errorsFor({ ...valid, startTime: 'soon' })).toEqual({
      startTime: 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z',
    });
  });

  it('refuses unknown fields', async () => {
    expect(await errorsFor({ ...valid, status: 'COMPLETED' })).toHaveProperty('status');
  });
});

describe('ListAppointmentsQuery', () => {
  const range = { from: '2030-06-03T00:00:00Z', to: '2030-06-04T00:00:00Z' };
  const errorsFor = (query: object) => fieldErrors(ListAppointmentsQuery, 'query', query);

  it('accepts a range and the optional filters', async () => {
    expect(await errorsFor(range)).toEqual({});
    expect(
      await errorsFor({
        ...range,
        patientId: '123e4567-e89b-12d3-a456-426614174000',
        doctorId: '123e4567-e89b-12d3-a456-426614174001',
        status: 'SCHEDULED',
      }),
    ).toEqual({});
  });

  it('requires from and to', async () => {
    expect(await errorsFor({})).toEqual({ from: 'from is required', to: 'to is required' });
  });

  it.each([
    [{ from: '2030-06-03' }, { from: 'from must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T00:00:00Z' }],
    [{ to: 'later' }, { to: 'to must be an ISO 8601 date-time with an offset, e.g. 2030-06-04T00:00:00Z' }],
    [{ to: '2030-06-03T00:00:00Z' }, { to: 'to must be after from' }],
    [{ to: '2030-06-02T00:00:00Z' }, { to: 'to must be after from' }],
    [{ patientId: 'x' }, { patientId: 'patientId must be a UUID' }],
    [{ doctorId: 'x' }, { doctorId: 'doctorId must be a UUID' }],
    [{ status: 'DONE' }, { status: 'status must be one of SCHEDULED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW' }],
  ])('refuses %p', async (change, errors) => {
    expect(await errorsFor({ ...range, ...change })).toEqual(errors);
  });
});

describe('RescheduleAppointmentDto', () => {
  const errorsFor = (body: object) => fieldErrors(RescheduleAppointmentDto, 'body', body);

  it('accepts any subset of the fields (the service refuses an empty one)', async () => {
    expect(await errorsFor({})).toEqual({});
    expect(await errorsFor({ reason: 'Follow-up' })).toEqual({});
    expect(await errorsFor({ endTime: '2030-06-03T10:00:00Z' })).toEqual({});
    expect(
      await errorsFor({
        startTime: '2030-06-03T10:00:00+02:00',
        endTime: '2030-06-03T09:00:00Z',
        doctorId: 'F47AC10B-58CC-4372-A567-0E02B2C3D479',
        reason: 'x',
      }),
    ).toEqual({});
  });

  it.each([
    ['startTime', '2030-06-03', 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['startTime', null, 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z'],
    ['endTime', 'later', 'endTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:30:00Z'],
    ['doctorId', 'nope', 'doctorId must be a UUID'],
    ['doctorId', null, 'doctorId must be a UUID'],
    ['reason', '  ', 'reason must not be blank'],
    ['reason', null, 'reason must be a string'],
    ['reason', 'x'.repeat(501), 'reason must be at most 500 characters'],
  ])('refuses %s = %p', async (field, value, message) => {
    expect(await errorsFor({ [field]: value })).toEqual({ [field]: message });
  });

  it('refuses an end not after a start given with it, naming endTime', async () => {
    expect(await errorsFor({ startTime: '2030-06-03T10:00:00Z', endTime: '2030-06-03T10:00:00Z' })).toEqual({
      endTime: 'endTime must be after startTime',
    });
  });

  it('refuses fields that cannot be patched', async () => {
    expect(await errorsFor({ status: 'COMPLETED' })).toHaveProperty('status');
    expect(await errorsFor({ patientId: '123e4567-e89b-12d3-a456-426614174000' })).toHaveProperty('patientId');
  });
});
