import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, isUuid } from '@pm/platform';
import { type AppointmentEvent, Topics, decodeAppointmentEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer, route } from '@pm/kafka';
import type { PatientConfig } from '../config/patient.config';
import { APPOINTMENT_STATUSES, type AppointmentStatus, type CareTeamAppointment } from './record-access';
import { RecordAccessService } from './record-access.service';

/** What keeps an appointment event from telling the care team anything; undefined when it is usable. */
export function appointmentProblem(event: AppointmentEvent): { field: string; message: string } | undefined {
  for (const field of ['appointment_id', 'patient_id', 'doctor_id'] as const) {
    if (!isUuid(event[field])) return { field, message: `${field} must be a UUID` };
  }
  if (!APPOINTMENT_STATUSES.includes(event.status as AppointmentStatus)) return { field: 'status', message: 'status is not an appointment status' };
  if (event.booked_by && !isUuid(event.booked_by)) return { field: 'booked_by', message: 'booked_by must be a UUID or empty' };
  if (!(event.start_time > 0) || !(event.occurred_at > 0)) return { field: 'start_time', message: 'start_time and occurred_at must be set' };
  return undefined;
}

/** The appointment as the care team keeps it (an event `appointmentProblem` accepted). */
export function careTeamAppointment(event: AppointmentEvent): CareTeamAppointment {
  return {
    appointmentId: event.appointment_id.toLowerCase(),
    patientId: event.patient_id.toLowerCase(),
    doctorId: event.doctor_id.toLowerCase(),
    startTime: new Date(event.start_time),
    status: event.status as AppointmentStatus,
    bookedBy: event.booked_by ? event.booked_by.toLowerCase() : null,
    occurredAt: new Date(event.occurred_at),
  };
}

/**
 * `appointment`: who treats whom, for the care teams of restricted records. Each appointment is
 * kept as its latest event left it, so a redelivered or late event changes nothing; an event that
 * names no patient, doctor or status is dead-lettered.
 */
@Injectable()
export class AppointmentEventsConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly access: RecordAccessService,
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    super(runner, deadLetters, { groupId: `${config.KAFKA_CONSUMER_GROUP}-care-team`, deadLetterTopic: Topics.patientDeadLetter });
  }

  protected routes() {
    return [
      route({
        topic: Topics.appointment,
        decode: decodeAppointmentEvent,
        validate: appointmentProblem,
        apply: (event) => this.access.recordAppointment(careTeamAppointment(event)),
      }),
    ];
  }
}
