import { PatientEvent, Topics, decodeAppointmentEvent, encodePatientEvent } from '@pm/contracts';
import { KafkaTopicProbe, waitFor } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { KAFKA_BROKERS, useAppointmentApp } from '../testing/appointment-test-app';
import { PatientsDirectoryService } from '../patients-directory/patients-directory.service';

// Joining fresh consumer groups on shared topics takes seconds.
jest.setTimeout(60_000);

const CONSUMED_WITHIN = { timeoutMs: 40_000, intervalMs: 200 };

interface AppointmentBody {
  id: string;
  patientId: string;
  doctorId: string;
  startTime: string;
  endTime: string;
  reason: string;
  status: string;
}

interface ProblemBody {
  status: number;
  detail: string;
  errors?: Record<string, string>;
  currentStatus?: string;
}

describe('appointment rules: no overlaps, the status machine, events (real PostgreSQL and Kafka)', () => {
  const t = useAppointmentApp('appointment_int_rules');
  let directory: PatientsDirectoryService;
  let probe: KafkaTopicProbe;
  let producer: Producer;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe([Topics.appointment], KAFKA_BROKERS).start();
    directory = t.app.get(PatientsDirectoryService);
    producer = new Kafka({ clientId: 'appointment-int-rules', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await probe?.stop();
  });

  const request = (method: string, path: string, body?: object, authorization = t.doctor) =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const create = (body: object) => request('POST', '/appointments', body);
  const createOk = async (body: object): Promise<AppointmentBody> => {
    const response = await create(body);
    expect(response.status).toBe(201);
    return (await response.json()) as AppointmentBody;
  };
  const move = (id: string, action: string) => request('POST', `/appointments/${id}/${action}`);
  const problemOf = async (response: Response) => {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as ProblemBody;
  };

  const knownPatient = async (): Promise<string> => {
    const patientId = randomUUID();
    await directory.apply({ patientId, name: 'Rule Patient', email: '', event_type: 'PATIENT_CREATED', event_id: randomUUID(), occurred_at: Date.now() });
    return patientId;
  };
  /** 30 minutes from `time` (an ISO instant on 2031-03-01 unless it names its day). */
  const slot = (start: string, minutes = 30) => {
    const startTime = new Date(start.includes('T') ? start : `2031-03-01T${start}:00Z`);
    return { startTime: startTime.toISOString(), endTime: new Date(startTime.getTime() + minutes * 60_000).toISOString() };
  };
  const booking = async (start: string, change: object = {}) => ({
    patientId: await knownPatient(),
    doctorId: randomUUID(),
    reason: 'Rules',
    ...slot(start),
    ...change,
  });

  describe("the doctor must be an active DOCTOR in auth's directory", () => {
    it("books a known doctor, refuses another user's id (400 naming doctorId), asking with the caller's token", async () => {
      const asked = t.issuer.doctorRequests;
      await createOk(await booking('07:00'));
      expect(t.issuer.doctorRequests).toBe(asked + 1);

      const notADoctor = randomUUID();
      t.issuer.notDoctors.add(notADoctor);
      const refused = await create(await booking('07:00', { doctorId: notADoctor }));
      expect(refused.status).toBe(400);
      expect((await problemOf(refused)).errors).toEqual({ doctorId: 'doctorId is not an active DOCTOR' });
    });
  });

  describe('no overlapping active appointments, guaranteed by the database', () => {
    it('gives exactly one 201 and eleven 409s naming doctorId for 12 parallel bookings of one slot', async () => {
      const doctorId = randomUUID();
      const bodies = await Promise.all(Array.from({ length: 12 }, () => booking('09:00', { doctorId })));
      const responses = await Promise.all(bodies.map(create));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array(11).fill(409)]);
      for (const response of responses.filter((r) => r.status === 409)) {
        const problem = await problemOf(response);
        expect(problem.errors).toEqual({ doctorId: 'doctorId already has an active appointment overlapping this time' });
      }
      const listed = await request('GET', `/appointments?from=2031-03-01T00:00:00Z&to=2031-03-02T00:00:00Z&doctorId=${doctorId}`);
      expect(((await listed.json()) as AppointmentBody[]).length).toBe(1);
    });

    it('refuses an overlap for the doctor and one for the patient, each named', async () => {
      const first = await createOk(await booking('10:00'));
      const doctorClash = await create(await booking('10:15', { doctorId: first.doctorId }));
      expect(doctorClash.status).toBe(409);
      expect(Object.keys((await problemOf(doctorClash)).errors!)).toEqual(['doctorId']);

      const patientClash = await create(await booking('09:45', { patientId: first.patientId }));
      expect(patientClash.status).toBe(409);
      expect((await problemOf(patientClash)).errors).toEqual({ patientId: 'patientId already has an active appointment overlapping this time' });

      // Containing it entirely is an overlap too.
      const around = await create({ ...(await booking('09:00', { doctorId: first.doctorId })), ...slot('09:00', 120) });
      expect(around.status).toBe(409);
    });

    it('allows back-to-back appointments (one ends when the next starts), for the doctor and the patient', async () => {
      const first = await createOk(await booking('11:00'));
      await createOk(await booking('11:30', { doctorId: first.doctorId, patientId: first.patientId }));
      await createOk(await booking('10:30', { doctorId: first.doctorId, patientId: first.patientId }));
    });

    it('frees the slot when an appointment is cancelled or a no-show, but not while checked in', async () => {
      const cancelled = await createOk(await booking('12:00'));
      expect((await move(cancelled.id, 'cancel')).status).toBe(200);
      await createOk(await booking('12:00', { doctorId: cancelled.doctorId, patientId: cancelled.patientId }));

      const noShow = await createOk(await booking('13:00'));
      expect((await move(noShow.id, 'no-show')).status).toBe(200);
      await createOk(await booking('13:00', { doctorId: noShow.doctorId }));

      const checkedIn = await createOk(await booking('14:00'));
      expect((await move(checkedIn.id, 'check-in')).status).toBe(200);
      expect((await create(await booking('14:10', { doctorId: checkedIn.doctorId }))).status).toBe(409);
    });
  });

  describe('the status machine over HTTP', () => {
    it('checks in and completes, answering the appointment each time', async () => {
      const { id } = await createOk(await booking('15:00'));
      const checkedIn = await move(id, 'check-in');
      expect(checkedIn.status).toBe(200);
      expect(await checkedIn.json()).toMatchObject({ id, status: 'CHECKED_IN' });
      expect(await (await move(id, 'complete')).json()).toMatchObject({ id, status: 'COMPLETED' });
      expect(await (await request('GET', `/appointments/${id}`)).json()).toMatchObject({ status: 'COMPLETED' });
    });

    it.each([
      ['complete', [], 'SCHEDULED'],
      ['check-in', ['check-in'], 'CHECKED_IN'],
      ['no-show', ['check-in'], 'CHECKED_IN'],
      ['cancel', ['check-in', 'complete'], 'COMPLETED'],
      ['check-in', ['cancel'], 'CANCELLED'],
      ['cancel', ['no-show'], 'NO_SHOW'],
    ])('refuses %s after %p with 409 naming the current status %s', async (action, before, current) => {
      const { id } = await createOk(await booking(`2031-03-02T${String(8 + before.length).padStart(2, '0')}:00:00Z`));
      for (const step of before) expect((await move(id, step)).status).toBe(200);
      const refused = await move(id, action);
      expect(refused.status).toBe(409);
      expect(await problemOf(refused)).toMatchObject({ currentStatus: current, detail: `Cannot ${action} an appointment that is ${current}` });
      expect(await (await request('GET', `/appointments/${id}`)).json()).toMatchObject({ status: current });
    });

    it('answers 404 for an unknown appointment and 400 for a bad id', async () => {
      expect((await move(randomUUID(), 'cancel')).status).toBe(404);
      expect((await request('PATCH', `/appointments/${randomUUID()}`, { reason: 'x' })).status).toBe(404);
      const bad = await move('nope', 'cancel');
      expect(bad.status).toBe(400);
      expect((await problemOf(bad)).errors).toEqual({ id: 'id must be a UUID' });
    });
  });

  describe('rescheduling', () => {
    it('moves a SCHEDULED appointment and changes doctor and reason', async () => {
      const original = await createOk(await booking('2031-03-03T09:00:00Z'));
      const doctorId = randomUUID();
      const moved = await request('PATCH', `/appointments/${original.id}`, { ...slot('2031-03-03T10:00:00Z', 45), doctorId, reason: 'Moved' });
      expect(moved.status).toBe(200);
      expect(await moved.json()).toMatchObject({
        id: original.id,
        startTime: '2031-03-03T10:00:00.000Z',
        endTime: '2031-03-03T10:45:00.000Z',
        doctorId,
        reason: 'Moved',
        status: 'SCHEDULED',
      });
      // The old slot is free again for the old doctor.
      await createOk(await booking('2031-03-03T09:00:00Z', { doctorId: original.doctorId }));
    });

    it('refuses a move onto another active appointment (409), a past start and an end before the start (400)', async () => {
      const taken = await createOk(await booking('2031-03-03T11:00:00Z'));
      const mine = await createOk(await booking('2031-03-03T12:00:00Z', { doctorId: taken.doctorId }));
      const clash = await request('PATCH', `/appointments/${mine.id}`, slot('2031-03-03T11:15:00Z'));
      expect(clash.status).toBe(409);
      expect(Object.keys((await problemOf(clash)).errors!)).toEqual(['doctorId']);

      const past = await request('PATCH', `/appointments/${mine.id}`, slot('2020-01-01T09:00:00Z'));
      expect(past.status).toBe(400);
      expect((await problemOf(past)).errors).toEqual({ startTime: 'startTime must not be in the past' });

      const backwards = await request('PATCH', `/appointments/${mine.id}`, { endTime: '2031-03-03T11:59:00Z' });
      expect(backwards.status).toBe(400);
      expect((await problemOf(backwards)).errors).toEqual({ endTime: 'endTime must be after startTime' });

      const empty = await request('PATCH', `/appointments/${mine.id}`, {});
      expect(empty.status).toBe(400);
      expect(await (await request('GET', `/appointments/${mine.id}`)).json()).toMatchObject({ startTime: '2031-03-03T12:00:00.000Z' });
    });

    it('refuses to reschedule an appointment that is no longer SCHEDULED (409 with the status)', async () => {
      const { id } = await createOk(await booking('2031-03-03T13:00:00Z'));
      await move(id, 'check-in');
      const refused = await request('PATCH', `/appointments/${id}`, { reason: 'Too late' });
      expect(refused.status).toBe(409);
      expect((await problemOf(refused)).currentStatus).toBe('CHECKED_IN');
    });

    it('lets only one of two concurrent moves into the same free slot win', async () => {
      const doctorId = randomUUID();
      const a = await createOk(await booking('2031-03-03T14:00:00Z', { doctorId }));
      const b = await createOk(await booking('2031-03-03T15:00:00Z', { doctorId }));
      const target = slot('2031-03-03T16:00:00Z');
      const statuses = (await Promise.all([a, b].map(({ id }) => request('PATCH', `/appointments/${id}`, target)))).map((r) => r.status);
      expect(statuses.sort()).toEqual([200, 409]);
    });
  });

  describe('400s for bookings the rules refuse', () => {
    it('refuses a start in the past, allowing a minute of clock skew', async () => {
      const past = await create(await booking(new Date(Date.now() - 5 * 60_000).toISOString()));
      expect(past.status).toBe(400);
      expect((await problemOf(past)).errors).toEqual({ startTime: 'startTime must not be in the past' });
      await createOk(await booking(new Date(Date.now() - 10_000).toISOString()));
    });

    it('refuses a deleted patient', async () => {
      const patientId = await knownPatient();
      await directory.apply({ patientId, name: '', email: '', event_type: 'PATIENT_DELETED', event_id: randomUUID(), occurred_at: Date.now() + 1 });
      const refused = await create(await booking('2031-03-04T09:00:00Z', { patientId }));
      expect(refused.status).toBe(400);
      expect((await problemOf(refused)).errors).toEqual({ patientId: 'patientId is a deleted patient' });
    });
  });

  describe('events on the appointment topic, through the outbox', () => {
    const eventsOf = (appointmentId: string) =>
      probe.messages.filter((m) => m.key === appointmentId).map((m) => decodeAppointmentEvent(m.value!));

    it('announces scheduled, checked-in and completed in order, keyed by the appointment, with its fields', async () => {
      const created = await createOk(await booking('2031-03-05T09:00:00Z'));
      await move(created.id, 'check-in');
      await move(created.id, 'complete');
      const events = await waitFor(() => (eventsOf(created.id).length >= 3 ? eventsOf(created.id) : undefined), {
        ...CONSUMED_WITHIN,
        description: 'three appointment events',
      });
      expect(events.map((event) => [event.event_type, event.status])).toEqual([
        ['APPOINTMENT_SCHEDULED', 'SCHEDULED'],
        ['APPOINTMENT_CHECKED_IN', 'CHECKED_IN'],
        ['APPOINTMENT_COMPLETED', 'COMPLETED'],
      ]);
      for (const event of events) {
        expect(event).toMatchObject({
          appointment_id: created.id,
          patient_id: created.patientId,
          doctor_id: created.doctorId,
          start_time: Date.parse(created.startTime),
          end_time: Date.parse(created.endTime),
        });
        expect(event.occurred_at).toBeGreaterThan(Date.now() - 60_000);
      }
      expect(new Set(events.map((event) => event.event_id)).size).toBe(3);
    });

    it('records who booked (the caller) and announces it in booked_by, on every later event too', async () => {
      const bookerId = randomUUID();
      const nurse = await t.issuer.bearer('NURSE', { userId: bookerId, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
      const booked = await request('POST', '/appointments', await booking('2031-03-06T09:00:00Z'), nurse);
      expect(booked.status).toBe(201);
      const created = (await booked.json()) as AppointmentBody;
      await move(created.id, 'check-in');
      const events = await waitFor(() => (eventsOf(created.id).length >= 2 ? eventsOf(created.id) : undefined), { ...CONSUMED_WITHIN, description: 'two appointment events' });
      expect(events.map((event) => [event.event_type, event.booked_by])).toEqual([
        ['APPOINTMENT_SCHEDULED', bookerId],
        ['APPOINTMENT_CHECKED_IN', bookerId],
      ]);
    });

    it('announces a reschedule and a cancel, and nothing for a refused change', async () => {
      const created = await createOk(await booking('2031-03-05T10:00:00Z'));
      await request('PATCH', `/appointments/${created.id}`, slot('2031-03-05T11:00:00Z'));
      await move(created.id, 'cancel');
      expect((await move(created.id, 'check-in')).status).toBe(409);
      const events = await waitFor(() => (eventsOf(created.id).length >= 3 ? eventsOf(created.id) : undefined), CONSUMED_WITHIN);
      expect(events.map((event) => event.event_type)).toEqual(['APPOINTMENT_SCHEDULED', 'APPOINTMENT_RESCHEDULED', 'APPOINTMENT_CANCELLED']);
      expect(events[1].start_time).toBe(Date.parse('2031-03-05T11:00:00Z'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(eventsOf(created.id)).toHaveLength(3);
    });

    it("cancels a deleted patient's future appointments (from the patient topic), each with an event", async () => {
      const patientId = randomUUID();
      const send = (event: Partial<PatientEvent>) =>
        producer.send({
          topic: Topics.patient,
          messages: [
            {
              key: patientId,
              value: encodePatientEvent({ patientId, name: 'To Delete', email: '', event_type: 'PATIENT_CREATED', event_id: randomUUID(), occurred_at: Date.now(), ...event }),
            },
          ],
        });
      await send({});
      await waitFor(async () => (await directory.find(patientId)) ?? undefined, CONSUMED_WITHIN);
      const scheduled = await createOk(await booking('2031-03-06T09:00:00Z', { patientId }));
      const checkedIn = await createOk(await booking('2031-03-06T10:00:00Z', { patientId }));
      await move(checkedIn.id, 'check-in');
      const completed = await createOk(await booking('2031-03-06T11:00:00Z', { patientId }));
      await move(completed.id, 'check-in');
      await move(completed.id, 'complete');

      await send({ event_type: 'PATIENT_DELETED', occurred_at: Date.now() + 1 });
      const statusOf = async (id: string) => ((await (await request('GET', `/appointments/${id}`)).json()) as AppointmentBody).status;
      await waitFor(async () => (await statusOf(scheduled.id)) === 'CANCELLED', { ...CONSUMED_WITHIN, description: 'the cancellation' });
      expect(await statusOf(checkedIn.id)).toBe('CANCELLED');
      expect(await statusOf(completed.id)).toBe('COMPLETED');
      for (const { id } of [scheduled, checkedIn]) {
        await waitFor(() => eventsOf(id).some((event) => event.event_type === 'APPOINTMENT_CANCELLED'), { ...CONSUMED_WITHIN, description: `the cancel event of ${id}` });
      }
      expect(eventsOf(completed.id).map((event) => event.event_type)).not.toContain('APPOINTMENT_CANCELLED');
    });
  });
});
