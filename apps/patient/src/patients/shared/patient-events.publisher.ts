import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PatientEventType, Topics, encodePatientEvent } from '@pm/contracts';
import { type Transaction, REQUEST_ID_HEADER } from '@pm/platform';
import type { OutgoingEvent } from '@pm/kafka';
import { OutboxEvent, OutboxWriter } from '@pm/outbox';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Patient } from './patient.entity';
import { PatientStorageError } from './patient-table';

/**
 * A `patient` event (compat), keyed by the patient id so Kafka keeps each patient's events in
 * order. The one place patient events are made; the outbox relay publishes them after commit.
 */
export function patientEvent(eventType: PatientEventType, patient: Pick<Patient, 'id' | 'name' | 'email'>, requestId: string): OutgoingEvent {
  return {
    topic: Topics.patient,
    key: patient.id,
    value: encodePatientEvent({
      patientId: patient.id,
      name: patient.name,
      email: patient.email,
      event_type: eventType,
      event_id: randomUUID(),
      occurred_at: Date.now(),
    }),
    headers: { [REQUEST_ID_HEADER]: requestId },
  };
}

/**
 * Records the events of a change in the outbox, in the change's own transaction: both commit or
 * neither does, and the relay publishes them after commit.
 */
@Injectable()
export class PatientEventsPublisher {
  constructor(
    private readonly outbox: OutboxWriter,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async record(events: OutboxEvent[], tx: Transaction): Promise<void> {
    try {
      await this.outbox.add(tx, events);
    } catch (error) {
      // The failed INSERT's parameters are the events, which carry names and emails.
      throw PatientStorageError.from(error);
    }
  }

  /** Withdraws the held, unpublished events of `topic` and `key` (the work they stood in for is done). */
  async withdrawHeld(topic: string, key: string): Promise<number> {
    return this.outbox.withdraw(this.dataSource.manager, topic, key);
  }
}
