import { Injectable, Logger } from '@nestjs/common';
import type { ClinicalEvent } from '@pm/contracts';
import { VisitDocumentationRepository } from './visit-documentation.repository';

/**
 * What a VISIT_DOCUMENTED event did: marked the appointment, found it marked already (a redelivery,
 * or a second note on the visit), or was ignored (no such appointment, or another patient's).
 */
export type DocumentationOutcome = 'documented' | 'unchanged' | 'ignored';

/**
 * "A note on an appointment marks that visit documented." The patient service announces each
 * note that names an appointment; the appointment is marked once, with the time of the first
 * note, and only when it is that patient's: a note cannot document someone else's visit.
 */
@Injectable()
export class VisitDocumentationService {
  private readonly logger = new Logger(VisitDocumentationService.name);

  constructor(private readonly appointments: VisitDocumentationRepository) {}

  /** Applies a decoded event whose ids are UUIDs (the consumer dead-letters the others). */
  async apply(event: ClinicalEvent): Promise<DocumentationOutcome> {
    const appointmentId = event.appointment_id.toLowerCase();
    const patientId = event.patient_id.toLowerCase();
    const at = event.occurred_at > 0 ? new Date(event.occurred_at) : new Date();
    if (await this.appointments.markDocumented(appointmentId, patientId, at)) return 'documented';
    const current = await this.appointments.find(appointmentId);
    if (current?.patientId === patientId) return 'unchanged';
    // Ids of the event and appointment only: which patient it named is not for the log.
    this.logger.warn(
      { eventId: event.event_id, appointmentId, reason: current ? "another patient's appointment" : 'no such appointment' },
      'Ignored a visit note that documents no appointment of its patient',
    );
    return 'ignored';
  }
}
