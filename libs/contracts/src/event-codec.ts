import { messageType } from './proto-files';

export class UndecodableEventError extends Error {}

/** What every event carries: its id (consumers skip one they have applied), its type and its time. */
export interface EventEnvelope<Type extends string = string> {
  event_id: string;
  event_type: Type;
  /** Epoch milliseconds. */
  occurred_at: number;
}

/** How a checked event is recognised: its name in messages, its event types and the fields it cannot lack. */
export interface EventCheck {
  /** As in "Not a PatientEvent: ..." */
  article: 'a' | 'an';
  name: string;
  eventTypes: readonly string[];
  required: readonly string[];
}

/** One event message of a .proto file: field names as in the file, 64-bit integers as numbers, defaults filled. */
export class EventCodec<T extends object> {
  constructor(
    private readonly file: string,
    private readonly typeName: string,
  ) {}

  encode(event: T): Buffer {
    const type = messageType(this.file, this.typeName);
    return Buffer.from(type.encode(type.fromObject(event)).finish());
  }

  /** The message as it came, unchecked (a protobuf error where the bytes are no such message). */
  decode(bytes: Buffer): T {
    return this.toObject(bytes) as T;
  }

  /**
   * The message, refused with UndecodableEventError where the bytes are no such message, the
   * event type is unknown or a required field is empty (consumers dead-letter these).
   */
  decodeChecked(bytes: Buffer, check: EventCheck): T {
    let raw: Record<string, unknown>;
    try {
      raw = this.toObject(bytes);
    } catch (error) {
      throw new UndecodableEventError(`Not ${check.article} ${check.name}: ${(error as Error).message}`);
    }
    if (!check.eventTypes.includes(raw.event_type as string)) {
      throw new UndecodableEventError(`Unknown ${check.name} event_type "${String(raw.event_type)}"`);
    }
    if (check.required.some((field) => !raw[field])) {
      throw new UndecodableEventError(`${check.name} without ${check.required.join(' or ')}`);
    }
    return raw as T;
  }

  private toObject(bytes: Buffer): Record<string, unknown> {
    const type = messageType(this.file, this.typeName);
    return type.toObject(type.decode(bytes), { longs: Number, defaults: true });
  }
}
