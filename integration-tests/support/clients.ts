import { Kafka, logLevel } from 'kafkajs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fetchFrom } from '@pm/testing';
import { analyticsGroupFile, gatewayUrl, kafkaBrokers } from './system';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A REST client of the gateway, as the seed systems' clients call it; `from` sends from a loopback
 * address of its own (freshLoopbackAddress), which the gateway sees as the client.
 */
export async function http<T = any>(
  method: string,
  route: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; from?: string } = {},
): Promise<HttpResult<T>> {
  const response = await fetchFrom(options.from ?? '127.0.0.1', `${gatewayUrl}${route}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
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
