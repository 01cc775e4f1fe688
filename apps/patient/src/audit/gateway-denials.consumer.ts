import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { type AuditDenialEvent, Topics, decodeAuditDenialEvent } from '@pm/contracts';
import { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import { AuditActions, type AuditAction, type NewAuditEntry } from './audit-entry.entity';
import type { PatientConfig } from '../config/patient.config';
import { AuditRepository } from './audit.repository';
import { isUuid } from '@pm/bootstrap';

/** The audit entry of a refusal the gateway decided; undefined when the event cannot be one. */
export function denialEntry(event: AuditDenialEvent): (NewAuditEntry & { eventId: string }) | undefined {
  if (!isUuid(event.event_id) || !AuditActions.includes(event.action as AuditAction)) return undefined;
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
  };
}

/**
 * `audit-denials`: requests on patient records the gateway refused (401, 403) before they reached
 * this service, written to the audit trail as DENIED. Written once per event id, so Kafka's
 * redelivery (after a crash, a rebalance) adds nothing; a database failure throws, and Kafka
 * delivers the event again.
 */
@Injectable()
export class GatewayDenialsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(GatewayDenialsConsumer.name);

  constructor(
    private readonly runner: KafkaConsumerRunner,
    private readonly repository: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: Pick<PatientConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start({
      groupId: `${this.config.KAFKA_CONSUMER_GROUP}-audit-denials`,
      topics: [Topics.auditDenials],
      fromBeginning: true,
      handle: (message) => this.handle(message),
    });
  }

  async handle(message: ConsumedMessage): Promise<void> {
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    let entry: ReturnType<typeof denialEntry>;
    try {
      entry = denialEntry(decodeAuditDenialEvent(message.value ?? Buffer.alloc(0)));
    } catch {
      entry = undefined;
    }
    if (!entry) {
      this.logger.warn(where, 'Skipping an audit denial that is not one');
      return;
    }
    await this.repository.insertFromEvent(entry);
  }
}
