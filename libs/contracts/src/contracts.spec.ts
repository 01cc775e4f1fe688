import { randomUUID } from 'node:crypto';
import { decodeAppointmentEvent, encodeAppointmentEvent } from './appointment-event';
import { decodeAuditDenialEvent, encodeAuditDenialEvent } from './audit-denial-event';
import { decodeBillingEvent, encodeBillingEvent } from './billing-event';
import { decodeClinicalEvent, encodeClinicalEvent } from './clinical-event';
import { UndecodableEventError, decodePatientEvent, encodePatientEvent } from './patient-event';

describe('event codecs (proto/)', () => {
  it('round-trips an AuditDenialEvent, empty fields for an unknown actor and no patient', () => {
    const event = {
      event_id: randomUUID(),
      occurred_at: Date.now(),
      actor_id: '',
      actor_role: '',
      action: 'LIST',
      patient_id: '',
      request_id: randomUUID(),
      source_ip: '127.0.0.1',
      status: 401,
      entry_kind: 'allergies',
    };
    expect(decodeAuditDenialEvent(encodeAuditDenialEvent(event))).toEqual(event);
  });

  it('round-trips a PatientEvent, including epoch-millisecond times past 2^31', () => {
    const event = { patientId: randomUUID(), name: 'A', email: 'a@b.c', event_type: 'PATIENT_UPDATED' as const, event_id: randomUUID(), occurred_at: Date.now() };
    expect(decodePatientEvent(encodePatientEvent(event))).toEqual(event);
  });

  it('round-trips an AppointmentEvent, with who booked it', () => {
    const event = {
      booked_by: randomUUID(),
      event_id: randomUUID(),
      event_type: 'APPOINTMENT_COMPLETED' as const,
      appointment_id: randomUUID(),
      patient_id: randomUUID(),
      doctor_id: randomUUID(),
      start_time: Date.now(),
      end_time: Date.now() + 1_800_000,
      status: 'COMPLETED',
      occurred_at: Date.now(),
    };
    expect(decodeAppointmentEvent(encodeAppointmentEvent(event))).toEqual(event);
  });

  it('round-trips a ClinicalEvent that names a documented visit by ids only', () => {
    const event = {
      event_id: randomUUID(),
      event_type: 'VISIT_DOCUMENTED' as const,
      appointment_id: randomUUID(),
      patient_id: randomUUID(),
      note_id: randomUUID(),
      occurred_at: Date.now(),
    };
    expect(decodeClinicalEvent(encodeClinicalEvent(event))).toEqual(event);
  });

  it.each(['appointment_id', 'patient_id', 'note_id', 'event_id'] as const)('refuses a ClinicalEvent without %s', (field) => {
    const event = { event_id: randomUUID(), event_type: 'VISIT_DOCUMENTED' as const, appointment_id: randomUUID(), patient_id: randomUUID(), note_id: randomUUID(), occurred_at: 1 };
    expect(() => decodeClinicalEvent(encodeClinicalEvent({ ...event, [field]: '' }))).toThrow('ClinicalEvent without event_id or appointment_id or patient_id or note_id');
  });

  it('refuses a ClinicalEvent of an unknown type', () => {
    const event = { event_id: 'e', event_type: 'VISIT_FORGOTTEN' as never, appointment_id: 'a', patient_id: 'p', note_id: 'n', occurred_at: 1 };
    expect(() => decodeClinicalEvent(encodeClinicalEvent(event))).toThrow('Unknown ClinicalEvent event_type "VISIT_FORGOTTEN"');
  });

  it('decodes an AppointmentEvent published before booked_by existed with an empty booked_by', () => {
    const { booked_by: _unknown, ...older } = { booked_by: 'x', event_id: randomUUID(), event_type: 'APPOINTMENT_SCHEDULED' as const, appointment_id: randomUUID(), patient_id: randomUUID(), doctor_id: randomUUID(), start_time: 1, end_time: 2, status: 'SCHEDULED', occurred_at: 3 };
    expect(decodeAppointmentEvent(encodeAppointmentEvent(older)).booked_by).toBe('');
  });

  it('round-trips a BillingEvent with amounts in minor units', () => {
    const event = {
      event_id: randomUUID(),
      event_type: 'PAYMENT_RECEIVED' as const,
      invoice_id: randomUUID(),
      account_id: randomUUID(),
      patient_id: randomUUID(),
      appointment_id: randomUUID(),
      amount_minor: 12_345,
      currency: 'EUR',
      invoice_total_minor: 20_000,
      invoice_paid_minor: 12_345,
      occurred_at: Date.now(),
      payment_id: randomUUID(),
    };
    expect(decodeBillingEvent(encodeBillingEvent(event))).toEqual(event);
  });

  it.each([
    ['random bytes', Buffer.from([0xff, 0xff, 0xff, 0x01])],
    ['an empty message', Buffer.alloc(0)],
  ])('refuses %s as undecodable', (_name, bytes) => {
    expect(() => decodeAppointmentEvent(bytes)).toThrow(UndecodableEventError);
    expect(() => decodeBillingEvent(bytes)).toThrow(UndecodableEventError);
    expect(() => decodePatientEvent(bytes)).toThrow(UndecodableEventError);
    expect(() => decodeClinicalEvent(bytes)).toThrow(UndecodableEventError);
  });
});
