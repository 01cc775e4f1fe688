import { type PatientEventType, decodePatientEvent } from '@pm/contracts';
import type { Transaction, Transactions } from '@pm/platform';
import type { OutboxEvent } from '@pm/outbox';
import type { Patient, PatientDetails } from '../patients/shared/patient.entity';
import type { PatientEventsPublisher } from '../patients/shared/patient-events.publisher';
import { typedFake } from '@pm/testing';

/** The details of the patient the unit specs register, read and change. */
export const JOHN_DOE: Readonly<PatientDetails> = {
  name: 'John Doe',
  email: 'john.doe@example.com',
  address: '123 Main St',
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
};

export interface PublishedEvent {
  eventType: PatientEventType;
  patient: Pick<Patient, 'id' | 'name' | 'email'>;
  requestId: string;
}

/** Something a fake transaction puts back as it was when the work throws. */
export interface Rollbackable {
  /** The state now; calling the result restores it. */
  snapshot(): () => void;
}

/** The outbox of a unit test: patient events decoded, billing-account requests apart, withdrawals listed. */
export class FakeEventsPublisher implements Pick<PatientEventsPublisher, 'record' | 'withdrawHeld'>, Rollbackable {
  published: PublishedEvent[] = [];
  /** billing-account requests recorded with a registration, held for gRPC to confirm. */
  accountRequests: { patientId: string; holdMs?: number }[] = [];
  readonly withdrawn: { topic: string; key: string }[] = [];

  async record(events: OutboxEvent[]): Promise<void> {
    for (const event of events) {
      if (event.topic === 'billing-account') {
        this.accountRequests.push({ patientId: event.key, holdMs: event.holdMs });
        continue;
      }
      const decoded = decodePatientEvent(event.value);
      if (event.key !== decoded.patientId) throw new Error(`event keyed ${event.key} is about ${decoded.patientId}`);
      this.published.push({
        eventType: decoded.event_type as PatientEventType,
        patient: { id: decoded.patientId, name: decoded.name, email: decoded.email },
        requestId: String(event.headers?.['x-request-id']),
      });
    }
  }

  async withdrawHeld(topic: string, key: string): Promise<number> {
    this.withdrawn.push({ topic, key });
    return 1;
  }

  snapshot(): () => void {
    const published = [...this.published];
    const accountRequests = [...this.accountRequests];
    return () => {
      this.published = published;
      this.accountRequests = accountRequests;
    };
  }
}

/** Like a real transaction: what the work wrote to `stores` is undone when it throws. */
export class FakeTransactions implements Pick<Transactions, 'run'> {
  private readonly stores: Rollbackable[];

  constructor(...stores: Rollbackable[]) {
    this.stores = stores;
  }

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const restores = this.stores.map((store) => store.snapshot());
    try {
      return await work(typedFake<Transaction>({}));
    } catch (error) {
      restores.forEach((restore) => restore());
      throw error;
    }
  }
}
