import { Logger } from '@nestjs/common';
import { type ConsumedMessage, DeadLetterPublisher, RecordingConsumerRunner, RecordingEventPublisher } from '@pm/kafka';

/** The Kafka side of a consumer under unit test; fresh for each test. */
export interface ConsumerFakes {
  /** Records the consumers started. */
  runner: RecordingConsumerRunner;
  /** Records what was published (dead letters). */
  broker: RecordingEventPublisher;
  deadLetters: DeadLetterPublisher;
  /** The Logger warnings, as their arguments; other log lines are dropped. */
  warnings: unknown[][];
}

/** Registers the hooks that give each test of a billing consumer fresh Kafka fakes and a quiet Logger. */
export function useConsumerFakes(): ConsumerFakes {
  const fakes = {} as ConsumerFakes;

  beforeEach(() => {
    fakes.runner = new RecordingConsumerRunner();
    fakes.broker = new RecordingEventPublisher();
    fakes.deadLetters = new DeadLetterPublisher(fakes.broker);
    fakes.warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => void fakes.warnings.push(args));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  return fakes;
}

/** A message as the runner hands it to a consumer. */
export const consumedMessage = (at: Pick<ConsumedMessage, 'topic' | 'partition' | 'offset' | 'key'>, value: Buffer): ConsumedMessage => ({
  ...at,
  value,
  headers: {},
  timestamp: '0',
});
