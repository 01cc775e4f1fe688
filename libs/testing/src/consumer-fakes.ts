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

/** Registers the hooks that give each test of a consumer fresh Kafka fakes and a quiet Logger. */
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
export const consumedMessage = (at: Pick<ConsumedMessage, 'topic' | 'partition' | 'offset' | 'key'>, value: ConsumedMessage['value']): ConsumedMessage => ({
  ...at,
  value,
  headers: {},
  timestamp: '0',
});

/**
 * Stands in for the one service method a consumer hands its events to: records each argument,
 * then answers `answer`, or throws `failWith` (recording nothing) when that is set.
 */
export class FakeHandler<A, R> {
  readonly received: A[] = [];
  failWith?: Error;

  constructor(public answer: R) {}

  readonly handle = async (argument: A): Promise<R> => {
    if (this.failWith) throw this.failWith;
    this.received.push(argument);
    return this.answer;
  };
}
