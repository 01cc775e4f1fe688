import { DynamicModule, Global, Module } from '@nestjs/common';
import { OUTBOX_OPTIONS, OutboxOptions, OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** A transactional outbox for a service: OutboxWriter in its transactions, a relay to Kafka. */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [{ provide: OUTBOX_OPTIONS, useValue: options }, OutboxRelay, OutboxWriter],
      exports: [OutboxWriter, OutboxRelay],
    };
  }
}
