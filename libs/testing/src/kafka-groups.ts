import { Kafka, logLevel } from 'kafkajs';

/**
 * Commits, for a consumer group that has no member yet, each partition's current end: the group
 * then reads only what is published from now on. Test apps get fresh groups (members of killed
 * runs would otherwise stall a shared group's rebalances), and a fresh group told to read from the
 * beginning would replay every earlier run's messages into the test.
 */
export async function startGroupAtEnd(groupId: string, topics: readonly string[], brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'): Promise<void> {
  const admin = new Kafka({ clientId: 'test-group-offsets', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high }));
      await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}
