import { Topics, decodeClinicalEvent } from '@pm/contracts';
import { KafkaTopicProbe } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { patientFactory } from '../testing/patient-factory';
import { usePatientApp } from '../testing/patient-test-context';

jest.setTimeout(60_000);

const newPatient = patientFactory('Documented');
const NOTE_TEXT = 'Seen for a sore throat; tonsils inflamed, no fever.';

describe('a note on an appointment announces the documented visit on `clinical` (real PostgreSQL, Kafka)', () => {
  const t = usePatientApp('patient_int_visit_documented');
  let probe: KafkaTopicProbe;
  let doctor: ReturnType<typeof t.sendAs>;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe([Topics.clinical]).start();
    doctor = t.sendAs('DOCTOR');
  });

  afterAll(async () => {
    await probe?.stop();
  });

  /** A new patient's id (the registration answers 201 with it). */
  const registered = async (): Promise<string> => {
    const created = await t.send('POST', '/patients', newPatient());
    return created.status === 201 ? ((await created.json()) as { id: string }).id : `registration answered ${created.status}`;
  };

  const clinicalRows = async (key: string): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM outbox_events WHERE topic = $1 AND message_key = $2', [Topics.clinical, key]))[0].n;

  it('publishes VISIT_DOCUMENTED keyed by the appointment id, with ids only and no clinical text', async () => {
    const patientId = await registered();
    const appointmentId = randomUUID();
    const response = await doctor('POST', `/patients/${patientId}/notes`, { text: NOTE_TEXT, appointmentId: appointmentId.toUpperCase() });
    expect(response.status).toBe(201);
    const note = (await response.json()) as { id: string; recordedAt: string };

    const message = await probe.waitFor((m) => m.key === appointmentId);
    expect(message.headers['event-type']).toBe('VISIT_DOCUMENTED');
    expect(decodeClinicalEvent(message.value!)).toEqual({
      event_id: expect.any(String),
      event_type: 'VISIT_DOCUMENTED',
      appointment_id: appointmentId,
      patient_id: patientId,
      note_id: note.id,
      occurred_at: Date.parse(note.recordedAt),
    });
    expect(message.value!.toString('latin1')).not.toContain('sore throat');
  });

  it('publishes nothing for a note without an appointment, nor for a note that was refused', async () => {
    const patientId = await registered();
    expect((await doctor('POST', `/patients/${patientId}/notes`, { text: NOTE_TEXT })).status).toBe(201);
    const appointmentId = randomUUID();
    // An addendum to a note that does not exist is refused (400 naming `amends`) before anything is written.
    const refused = await doctor('POST', `/patients/${patientId}/notes`, { text: NOTE_TEXT, appointmentId, amends: randomUUID() });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('amends');

    expect(await clinicalRows(appointmentId)).toBe(0);
    const notes = (await t.dataSource.query("SELECT count(*)::int AS n FROM clinical_entries WHERE patient_id = $1 AND kind = 'notes'", [patientId]))[0].n;
    expect(notes).toBe(1);
    // Give the relay a chance to publish anything it wrongly had, then look.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(probe.messages.filter((m) => m.key === appointmentId)).toEqual([]);
    expect(probe.messages.map((m) => decodeClinicalEvent(m.value!).patient_id)).not.toContain(patientId);
  });
});
