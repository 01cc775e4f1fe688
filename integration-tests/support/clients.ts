import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { callJson, type JsonAnswer, type JsonCallOptions } from '@pm/testing';
import { analyticsGroupFile, gatewayUrl, kafkaBrokers } from './system';

export type HttpResult<T = any> = JsonAnswer<T>;

/**
 * A REST client of the gateway, as the seed systems' clients call it; `from` sends from a loopback
 * address of its own (freshLoopbackAddress), which the gateway sees as the client.
 */
export function http<T = any>(method: string, route: string, options: JsonCallOptions = {}): Promise<HttpResult<T>> {
  return callJson<T>(method, `${gatewayUrl}${route}`, options);
}

export async function login(email = 'testuser@test.com', password = 'password123'): Promise<string> {
  const result = await http<{ token: string }>('POST', '/auth/login', { body: { email, password } });
  if (result.status !== 200) throw new Error(`login failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.token;
}

/** How far the analytics consumer group is behind the end of its topics (0 = caught up). */
export async function analyticsLag(topics: string[] = ['patient']): Promise<number> {
  return consumerLag(readFileSync(path.resolve(__dirname, '..', '..', analyticsGroupFile), 'utf8').trim(), topics);
}

/** The same for another service's group of this end-to-end run (`billing`, `appointment`). */
export async function serviceLag(service: string, topics: string[]): Promise<number> {
  const analyticsGroup = readFileSync(path.resolve(__dirname, '..', '..', analyticsGroupFile), 'utf8').trim();
  return consumerLag(analyticsGroup.replace(/^analytics/, service), topics);
}

async function consumerLag(groupId: string, topics: string[]): Promise<number> {
  const kafka = new Kafka({ clientId: 'e2e-lag', brokers: kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    for (const topic of topics) {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      for (const end of ends) {
        const done = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        lag += Number(end.offset) - Math.max(Number(done), 0);
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
