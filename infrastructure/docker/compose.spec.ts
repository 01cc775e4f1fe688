import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { describeConfig, loadConfig } from '@pm/platform';
import { TOPIC_PARTITIONS, Topics } from '@pm/contracts';

/**
 * Drift check: docker-compose.yml and the Dockerfile against the contract's ports and each
 * service's own config schema (imported, never copied), so a renamed variable, a new required
 * one or a changed port fails here instead of at `docker compose up`.
 */
const ROOT = join(__dirname, '..', '..');
const DOCKERFILE = 'infrastructure/docker/Dockerfile';

/** Ports from the external contract (shared/contract/README.md). */
const CONTRACT: Record<string, { http: number; grpc?: number }> = {
  gateway: { http: 4004 },
  auth: { http: 4005 },
  patient: { http: 4000 },
  billing: { http: 4001, grpc: 9001 },
  analytics: { http: 4002 },
  appointment: { http: 4006 },
};
const APPS = Object.keys(CONTRACT);
const INFRASTRUCTURE_PORTS: Record<string, number> = { postgres: 5432, redis: 6379, kafka: 9092 };

type Environment = Record<string, string>;
interface PortMapping {
  host: number;
  container: number;
}
interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, unknown> | string[] };
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number; published?: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  command?: unknown;
  read_only?: boolean;
  tmpfs?: string | string[];
  profiles?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(join(ROOT, DOCKERFILE), 'utf8');

function service(name: string): ComposeService {
  const found = compose.services?.[name];
  if (!found) throw new Error(`docker-compose.yml has no service '${name}'`);
  return found;
}

function keyValues(entries: Record<string, unknown> | string[] | undefined): Environment {
  if (!entries) return {};
  if (Array.isArray(entries)) {
    return Object.fromEntries(
      entries.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, value == null ? '' : String(value)]));
}

function publishedPorts(definition: ComposeService): PortMapping[] {
  return (definition.ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: Number(port.published), container: Number(port.target) };
    // "[ip:]host:container[/protocol]" or just "container".
    const parts = String(port).replace(/\/\w+$/, '').split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length > 1 ? Number(parts.at(-2)) : Number.NaN, container };
  });
}

function dependencies(definition: ComposeService): Record<string, string | undefined> {
  const dependsOn = definition.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, options]) => [name, options?.condition]));
}

/** The ENV of the Dockerfile's final stage: what a container has before compose adds its own. */
function imageEnvironment(app: string): Environment {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line.trim())).lastIndexOf(true);
  const environment: Environment = {};
  for (const line of lines.slice(lastFrom + 1)) {
    const match = /^ENV\s+(.*)$/i.exec(line.trim());
    if (!match) continue;
    for (const pair of match[1].trim().split(/\s+/)) {
      const at = pair.indexOf('=');
      environment[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"|"$/g, '').replaceAll('${APP}', app);
    }
  }
  return environment;
}

/** `<app>ConfigSchema` from `apps/<app>/src/config/<app>.config.ts`, the naming every app keeps. */
function configSchema(app: string): z.ZodObject {
  const file = `apps/${app}/src/config/${app}.config.ts`;
  let exported: Record<string, unknown>;
  try {
    // require, not import(): Jest transforms the TypeScript file synchronously, in this sync helper.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(join(ROOT, file)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${app}: cannot import ${file}: ${(error as Error).message}`, { cause: error });
  }
  const schema = exported[`${app}ConfigSchema`] as z.ZodObject | undefined;
  if (!schema?.shape) throw new Error(`${app}: ${file} does not export ${app}ConfigSchema`);
  return schema;
}

/** Other compose services a variable points at: `*_HOST` names, or `name:port` in URLs and lists. */
function serviceReferences(variable: string, value: string): { name: string; port?: number }[] {
  if (/_HOST$/.test(variable)) return compose.services[value] ? [{ name: value }] : [];
  return [...value.matchAll(/(?:^|\/\/|,)([a-z][a-z0-9-]*):(\d+)(?=$|[/,])/g)]
    .filter((match) => compose.services[match[1]])
    .map((match) => ({ name: match[1], port: Number(match[2]) }));
}

describe('docker-compose.yml', () => {
  describe.each(APPS)('service %s', (app) => {
    const composeEnvironment = () => keyValues(service(app).environment);
    const containerEnvironment = () => ({ ...imageEnvironment(app), ...composeEnvironment() });

    it('builds from the shared Dockerfile with its APP', () => {
      const build = service(app).build;
      expect({ app, context: build?.context, dockerfile: build?.dockerfile, APP: keyValues(build?.args).APP }).toEqual({
        app,
        context: '.',
        dockerfile: DOCKERFILE,
        APP: app,
      });
    });

    it('the Dockerfile accepts it as APP', () => {
      const accepted = /case "\$APP" in[\s\\]+([\w|]+)\)/.exec(dockerfile)?.[1].split('|') ?? [];
      expect({ app, acceptedByDockerfile: accepted.includes(app) }).toEqual({ app, acceptedByDockerfile: true });
    });

    it('sets only variables its config schema knows', () => {
      const known = Object.keys(configSchema(app).shape);
      const unknownVariables = Object.keys(composeEnvironment()).filter((name) => !known.includes(name));
      expect({ app, unknownVariables }).toEqual({ app, unknownVariables: [] });
    });

    it('provides every required variable', () => {
      const environment = containerEnvironment();
      const missing = describeConfig(configSchema(app))
        .filter((variable) => variable.required && !environment[variable.name])
        .map((variable) => variable.name);
      expect({ app, missingRequiredVariables: missing }).toEqual({ app, missingRequiredVariables: [] });
    });

    it('has an environment its config schema accepts (image ENV + compose environment)', () => {
      expect(() => loadConfig(configSchema(app), app, containerEnvironment())).not.toThrow();
    });

    it('listens on and publishes its contract HTTP port', () => {
      const port = CONTRACT[app].http;
      const schemaDefault = describeConfig(configSchema(app)).find(({ name }) => name === 'HTTP_PORT')?.default;
      const config = loadConfig(configSchema(app), app, containerEnvironment()) as { HTTP_PORT: number };
      expect({ app, schemaDefaultHttpPort: Number(schemaDefault), configuredHttpPort: config.HTTP_PORT }).toEqual({
        app,
        schemaDefaultHttpPort: port,
        configuredHttpPort: port,
      });
      expect({ app, published: publishedPorts(service(app)) }).toEqual({
        app,
        published: expect.arrayContaining([{ host: port, container: port }]),
      });
    });

    if (CONTRACT[app].grpc) {
      it('listens on and publishes its contract gRPC port', () => {
        const port = CONTRACT[app].grpc;
        const config = loadConfig(configSchema(app), app, containerEnvironment()) as { GRPC_PORT?: number };
        expect({ app, configuredGrpcPort: config.GRPC_PORT }).toEqual({ app, configuredGrpcPort: port });
        expect({ app, published: publishedPorts(service(app)) }).toEqual({
          app,
          published: expect.arrayContaining([{ host: port, container: port }]),
        });
      });
    }

    it('points at other containers on ports they listen on', () => {
      const wrong: string[] = [];
      for (const [variable, value] of Object.entries(composeEnvironment())) {
        for (const { name, port } of serviceReferences(variable, value)) {
          if (port === undefined) continue;
          const listening = CONTRACT[name] ? [CONTRACT[name].http, CONTRACT[name].grpc] : [INFRASTRUCTURE_PORTS[name]];
          if (!listening.includes(port)) {
            wrong.push(`${variable}=${value} (${name} listens on ${listening.filter(Boolean).join(', ')})`);
          }
        }
      }
      expect({ app, wrongPorts: wrong }).toEqual({ app, wrongPorts: [] });
    });

    it('leaves no variable at a loopback default (127.0.0.1 inside a container is the container itself)', () => {
      const environment = containerEnvironment();
      const loopback = describeConfig(configSchema(app))
        .filter((variable) => /(^|\/\/|@|,)(127\.0\.0\.1|localhost)([:/,]|$)/.test(environment[variable.name] ?? variable.default ?? ''))
        .map((variable) => variable.name);
      expect({ app, loopback }).toEqual({ app, loopback: [] });
    });

    it('waits for the health of every container it talks to', () => {
      const dependsOn = dependencies(service(app));
      const problems: string[] = [];
      for (const [name, condition] of Object.entries(dependsOn)) {
        const expected = name === 'kafka-init' ? 'service_completed_successfully' : 'service_healthy';
        if (condition !== expected) {
          problems.push(`depends_on ${name}: condition ${condition ?? '(none)'}, expected ${expected}`);
        }
      }
      for (const [variable, value] of Object.entries(composeEnvironment())) {
        for (const { name } of serviceReferences(variable, value)) {
          if (name !== app && !(name in dependsOn)) problems.push(`${variable} uses ${name} but depends_on lacks it`);
          if (name === 'kafka' && !('kafka-init' in dependsOn)) {
            problems.push(`${variable} uses kafka but depends_on lacks kafka-init`);
          }
        }
      }
      expect({ app, problems }).toEqual({ app, problems: [] });
    });

    it('has a healthcheck', () => {
      const healthcheck = service(app).healthcheck;
      const enabled = Boolean(healthcheck?.test) && !healthcheck?.disable;
      expect({ app, healthcheck: enabled }).toEqual({ app, healthcheck: true });
    });

    it('runs with a read-only root file system and a writable tmpfs /tmp', () => {
      const tmpfs = [service(app).tmpfs ?? []].flat();
      expect({ app, readOnly: service(app).read_only, tmpfs }).toEqual({ app, readOnly: true, tmpfs: ['/tmp'] });
    });

    it('starts with a plain `docker compose up` (no profile)', () => {
      expect({ app, profiles: service(app).profiles }).toEqual({ app, profiles: undefined });
    });
  });

  describe('observability profile', () => {
    const OBSERVABILITY = ['prometheus', 'grafana'];
    const prometheus = parse(readFileSync(join(ROOT, 'infrastructure/docker/observability/prometheus.yml'), 'utf8')) as {
      scrape_configs: { metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };

    it('runs Prometheus and Grafana only under the observability profile', () => {
      for (const name of OBSERVABILITY) expect({ name, profiles: service(name).profiles }).toEqual({ name, profiles: ['observability'] });
      const others = Object.entries(compose.services)
        .filter(([name, definition]) => !OBSERVABILITY.includes(name) && definition.profiles !== undefined)
        .map(([name]) => name);
      expect(others).toEqual([]);
    });

    it('Prometheus scrapes /metrics of every app on the port its config schema listens on', () => {
      const targets = prometheus.scrape_configs.flatMap((job) =>
        job.static_configs.flatMap((config) => config.targets.map((target) => ({ target, path: job.metrics_path ?? '/metrics' }))),
      );
      const expected = APPS.map((app) => {
        const config = loadConfig(configSchema(app), app, { ...imageEnvironment(app), ...keyValues(service(app).environment) }) as {
          HTTP_PORT: number;
        };
        return { target: `${app}:${config.HTTP_PORT}`, path: '/metrics' };
      });
      expect(targets).toEqual(expect.arrayContaining(expected));
      expect(targets).toHaveLength(APPS.length);
    });

    it('Prometheus mounts that config', () => {
      expect(service('prometheus').volumes).toContain(
        './infrastructure/docker/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
      );
    });

    it('Grafana gets the Prometheus datasource and the dashboard provisioned, after Prometheus is healthy', () => {
      const datasources = parse(
        readFileSync(join(ROOT, 'infrastructure/docker/observability/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
      ) as { datasources: { type: string; url: string; uid: string }[] };
      expect(datasources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', uid: 'prometheus' })]);
      expect(dependencies(service('grafana'))).toEqual({ prometheus: 'service_healthy' });
      for (const volume of service('grafana').volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) expect({ volume, exists: existsSync(join(ROOT, source)) }).toEqual({ volume, exists: true });
      }
    });

    it('the dashboard shows request rate, latency p50/p99, 5xx errors, consumer lag and outbox depth', () => {
      const dashboard = JSON.parse(
        readFileSync(join(ROOT, 'infrastructure/docker/observability/grafana/dashboards/patient-management.json'), 'utf8'),
      ) as { panels: { title: string; datasource: { uid: string }; targets: { expr: string }[] }[] };
      const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
      expect(queries).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/rate\(http_request_duration_seconds_count\{service=~"\$service"\}/),
          expect.stringMatching(/histogram_quantile\(0\.5,.*http_request_duration_seconds_bucket/),
          expect.stringMatching(/histogram_quantile\(0\.99,.*http_request_duration_seconds_bucket/),
          expect.stringMatching(/http_request_duration_seconds_count\{.*status_code=~"5\.\."/),
          expect.stringMatching(/kafka_consumer_lag/),
          expect.stringMatching(/outbox_pending_events/),
        ]),
      );
      expect(dashboard.panels.every((panel) => panel.datasource.uid === 'prometheus')).toBe(true);
    });
  });

  describe('Dockerfile', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const runtime = stages.at(-1) ?? '';

    it('runs the service as a non-root user', () => {
      const user = [...runtime.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
      expect(user).toBeDefined();
      expect(['root', '0']).not.toContain(user);
    });

    it('ships only production dependencies and only the chosen app', () => {
      const dependencyStage = /COPY --from=([\w-]+) \/app\/node_modules/.exec(runtime)?.[1];
      const stage = stages.find((candidate) => candidate.split('\n')[0].includes(`AS ${dependencyStage}`)) ?? '';
      expect(stage).toMatch(/npm ci --omit=dev/);
      expect(runtime).toMatch(/COPY --from=build \/app\/dist\/apps\/\$\{APP\} dist\/apps\/\$\{APP\}/);
      expect(runtime).not.toMatch(/COPY --from=build \/app\/dist\/apps\s/);
    });
  });

  describe('infrastructure', () => {
    it.each(['postgres', 'redis', 'kafka'])('%s exists with a healthcheck', (name) => {
      expect({ name, healthcheck: Boolean(service(name).healthcheck?.test) }).toEqual({ name, healthcheck: true });
    });

    it('kafka-init waits for a healthy kafka and creates every topic of topics.json with its partitions', () => {
      const init = service('kafka-init');
      expect(dependencies(init)).toEqual({ kafka: 'service_healthy' });
      const script = JSON.stringify(init.command);
      const loop = /for topic in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/) ?? [];
      expect([...loop].sort()).toEqual(Object.values(Topics).sort());
      expect(script).toContain(`--partitions ${TOPIC_PARTITIONS}`);
      expect(TOPIC_PARTITIONS).toBe(3);
    });

    it('postgres-init creates the database of every service that has one', () => {
      const initDirectory = join(ROOT, 'infrastructure/docker/postgres-init');
      const sql = readdirSync(initDirectory)
        .filter((file) => file.endsWith('.sql'))
        .map((file) => readFileSync(join(initDirectory, file), 'utf8'))
        .join('\n');
      const created = [...sql.matchAll(/CREATE DATABASE\s+"?(\w+)"?/gi)].map((match) => match[1]);
      const needed = APPS.filter((app) => 'DB_NAME' in configSchema(app).shape).map((app) => {
        const environment = { ...imageEnvironment(app), ...keyValues(service(app).environment) };
        return (loadConfig(configSchema(app), app, environment) as { DB_NAME: string }).DB_NAME;
      });
      expect(needed.filter((name) => !created.includes(name))).toEqual([]);
      expect(needed.length).toBeGreaterThan(0);
    });

    it('publishes nothing beyond 127.0.0.1', () => {
      const exposed = Object.entries(compose.services).flatMap(([name, definition]) =>
        (definition.ports ?? [])
          .filter((port) => typeof port !== 'string' || !port.startsWith('127.0.0.1:'))
          .map((port) => `${name}: ${JSON.stringify(port)}`),
      );
      expect(exposed).toEqual([]);
    });
  });
});
