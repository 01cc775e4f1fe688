import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';

/** Sends KafkaJS's own logs through the service's JSON logger instead of the console. */
export function kafkaLogCreator() {
  const logger = new Logger('Kafka');
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...details } = log;
      if (level <= logLevel.ERROR) logger.error(details, message);
      else if (level === logLevel.WARN) logger.warn(details, message);
      else logger.debug(details, message);
    };
}
