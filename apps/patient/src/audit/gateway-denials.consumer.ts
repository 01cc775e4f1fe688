import { Inject, Injectable } from '@nestjs/common';
import { CLINICAL_KINDS } from '@pm/auth-tokens';
import { APP_CONFIG, isUuid } from '@pm/platform';
import { type AuditDenialEvent, Topics, decodeAuditDenialEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer, route } from '@pm/kafka';
import { AuditActions, type AuditAction, type NewAuditEntry } from './audit-entry.entity';
import type { PatientConfig } from '../config/patient.config';
import { AuditRepository } from './audit.repository';

// What an event may name: a kind of clinical entry, the chart, or who may read a restricted record.
const ENTRY_KINDS: readonly string[] = [...CLINICAL_KINDS, 'record', 'restriction', 'care-team'];

/** What keeps an event from being a refusal the gateway decided; undefined when it is one. */
export function denialProblem(event: AuditDenialEvent): { field: string; message: string } | undefined {
  if (!isUuid(event.event_id)) return { field: 'event_id', message: 'event_id must be a UUID' };
  if (!AuditActions.includes(event.action as AuditAction)) return { field: 'action', message: 'action is not an audit action' };
  if (event.entry_kind && !ENTRY_KINDS.includes(event.entry_kind)) return { field: 'entry_kind', message: 'entry_kind is not a kind of clinical entry' };
  return undefined;
}

/** The audit entry of a refusal the gateway decided (one `denialProblem` accepted). */
export function denialEntry(event: AuditDenialEvent): NewAuditEntry & { eventId: string } {
  return {
    eventId: event.event_id,
    at: new Date(event.occurred_at),
    actorId: event.actor_id || null,
    actorRole: event.actor_role || null,
    action: event.action as AuditAction,
    patientIds: isUuid(event.patient_id) ? [event.patient_id] : [],
    requestId: event.request_id || null,
    sourceIp: event.source_ip || null,
    outcome: 'DENIED',
    entryKind: event.entry_kind || null,
  };
}

/**
 * `audit-denials`: requests on patient records the gateway refused (401, 403) before they reached
 * this service, written to the audit trail as DENIED. Written once per event id, so Kafka's
 * redelivery (after a crash, a rebalance) adds nothing; a database failure throws, and Kafka
 * delivers the event again.
 */
@Injectable()
export class GatewayDenialsConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly repository: AuditRepository,
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    super(runner, deadLetters, { groupId: `${config.KAFKA_CONSUMER_GROUP}-audit-denials`, deadLetterTopic: Topics.patientDeadLetter });
  }

  protected routes() {
    return [
      route({
        topic: Topics.auditDenials,
        decode: decodeAuditDenialEvent,
        validate: denialProblem,
        apply: async (event) => ((await this.repository.insertFromEvent(denialEntry(event))) ? 'recorded' : 'duplicate'),
      }),
    ];
  }
}
