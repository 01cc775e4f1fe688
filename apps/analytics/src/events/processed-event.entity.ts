import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event already applied to the aggregates; its id is the event's id (or topic:partition:offset). */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt: Date;
}
