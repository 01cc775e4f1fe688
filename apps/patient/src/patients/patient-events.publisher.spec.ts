import { Logger } from '@nestjs/common';
import { decodePatientEvent } from '@pm/contracts';
import { EventPublishError, EventPublisher, OutgoingEvent } from '@pm/kafka';
import { PUBLISH_WAIT_MS, PatientEventsPublisher } from './patient-events.publisher';

class FakeEventPublisher implements Pick<EventPublisher, 'publish'> {
  readonly sent: OutgoingEvent[][] = [];
  behaviour: 'accept' | 'fail' | 'hang' = 'accept';

  publish(events: OutgoingEvent[]): Promise<void> {
    this.sent.push(events);
    if (this.behaviour === 'fail') return Promise.reject(new EventPublishError('broker down'));
    if (this.behaviour === 'hang') return new Promise(() => undefined);
    return Promise.resolve();
  }
}

const patient = { id: '123e4567-e89b-12d3-a456-426614174000', name: 'John Doe', email: 'john.doe@example.com' };

describe('PatientEventsPublisher', () => {
  let kafka: FakeEventPublisher;
  let publisher: PatientEventsPublisher;

  beforeEach(() => {
    kafka = new FakeEventPublisher();
    publisher = new PatientEventsPublisher(kafka as unknown as EventPublisher);
  });

  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('sends one PatientEvent on `patient`, keyed by the patient id, with the request id header', async () => {
    const before = Date.now();
    await publisher.publish('PATIENT_UPDATED', patient, 'req-42');

    expect(kafka.sent).toHaveLength(1);
    const [event] = kafka.sent[0];
    expect(event).toMatchObject({ topic: 'patient', key: patient.id, headers: { 'x-request-id': 'req-42' } });
    const decoded = decodePatientEvent(event.value);
    expect(decoded).toMatchObject({ patientId: patient.id, name: 'John Doe', email: 'john.doe@example.com', event_type: 'PATIENT_UPDATED' });
    expect(decoded.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(decoded.occurred_at).toBeGreaterThanOrEqual(before);
  });

  it('gives every event its own id', async () => {
    await publisher.publish('PATIENT_CREATED', patient, 'r');
    await publisher.publish('PATIENT_CREATED', patient, 'r');
    const [first, second] = kafka.sent.map(([event]) => decodePatientEvent(event.value).event_id);
    expect(first).not.toBe(second);
  });

  it('does not fail the caller when Kafka refuses the event', async () => {
    kafka.behaviour = 'fail';
    await expect(publisher.publish('PATIENT_DELETED', patient, 'r')).resolves.toBeUndefined();
    expect(kafka.sent).toHaveLength(1);
    const logged = JSON.stringify((Logger.prototype.warn as jest.Mock).mock.calls);
    expect(logged).toContain(patient.id);
    expect(logged).not.toMatch(/John|example\.com/);
  });

  it('stops waiting for a Kafka that does not answer', async () => {
    jest.useFakeTimers();
    kafka.behaviour = 'hang';
    let settled = false;
    const publishing = publisher.publish('PATIENT_CREATED', patient, 'r').then(() => (settled = true));

    await jest.advanceTimersByTimeAsync(PUBLISH_WAIT_MS - 1);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await publishing;
    expect(settled).toBe(true);
  });
});
