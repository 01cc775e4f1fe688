import { Annotations, Duration, IgnoreMode, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import type { AppDefinition, AppName } from '../apps';
import type { EnvironmentSettings, ImageSource, ServiceSizing } from '../environments';
import { retentionFor } from '../log-retention';
import { REPOSITORY_ROOT } from '../platform-functions';
import { type PlatformValues, serviceEnvironment } from './service-environment';

export const DOCKERFILE = 'infrastructure/docker/Dockerfile';
/** Public CA bundle of RDS, baked into the images so `DB_SSL=true` verifies the server. */
export const RDS_CA_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
/** Where the Dockerfile puts the EXTRA_CA_CERTS_URL download. */
export const EXTRA_CA_CERTS_PATH = '/app/certs/extra-ca.pem';

/** A data store the services reach through its security group. */
export interface Reachable {
  allowFrom(peer: ec2.IConnectable, description: string): void;
}

/** What the platform offers the services; the real constructs satisfy it, tests may fake it. */
export interface ServicePlatform {
  readonly database: Reachable & {
    readonly host: string;
    readonly port: number;
    /** The app's own login (username plus a secret with a `password` field). */
    login(app: AppName): { readonly username: string; readonly secret: secretsmanager.ISecret } | undefined;
  };
  readonly kafka: Reachable & {
    readonly bootstrapBrokers: string;
    /** `{"username","password"}` of the SCRAM user. */
    readonly credentials: secretsmanager.ISecret;
    readonly username: string;
  };
  readonly redis: Reachable & { readonly url: secretsmanager.ISecret };
  readonly authSigningKeys: secretsmanager.ISecret;
  readonly patientFieldKeys: { readonly encryptionKeys: secretsmanager.ISecret; readonly keyId: string; readonly blindIndexKey: secretsmanager.ISecret };
}

export interface ComputeProps {
  readonly vpc: ec2.IVpc;
  readonly settings: EnvironmentSettings;
  readonly apps: readonly AppDefinition[];
  readonly platform: ServicePlatform;
  readonly logKey: kms.IKey;
}

export interface RunningService {
  readonly app: AppDefinition;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly scaling: ecs.ScalableTaskCount;
  readonly environment: Record<string, string>;
  readonly secretNames: string[];
}

/**
 * The ECS cluster and one Fargate service per app, in the private subnets. Each service gets its
 * own security group, task role (no permissions: the apps call no AWS API), log group, and an
 * environment generated from its config schema (service-environment.ts); secrets come from
 * Secrets Manager through the execution role. Services find each other by Cloud Map DNS names,
 * and a security group opens a port only to the services whose schema points at it.
 */
export class Compute extends Construct {
  readonly cluster: ecs.Cluster;
  readonly namespace: servicediscovery.PrivateDnsNamespace;
  readonly services = new Map<AppName, RunningService>();

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id);
    const { settings, platform } = props;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', {
      name: `${settings.name}.patient-management.internal`,
      vpc: props.vpc,
      description: 'Service discovery of the patient-management services',
    });
    const serviceHost = (app: AppName) => `${app}.${this.namespace.namespaceName}`;

    for (const app of props.apps) {
      this.services.set(app.name, this.runService(app, props, serviceHost));
    }

    // Open exactly the ports other services' schemas point at (gateway -> services, patient -> billing gRPC).
    for (const caller of this.services.values()) {
      const calls = serviceEnvironment(caller.app, props.apps, this.platformValues(caller.app, platform, serviceHost, props.vpc), {}).calls;
      for (const call of calls) {
        const callee = this.services.get(call.app)!;
        callee.securityGroup.addIngressRule(caller.securityGroup, ec2.Port.tcp(call.port), `${caller.app.name} (${call.variable})`);
      }
    }
  }

  /** Adds request-count scaling to the public service once its target group exists (edge). */
  scaleOnRequests(app: AppName, targetGroup: elbv2.ApplicationTargetGroup, requestsPerTarget: number): void {
    this.services.get(app)!.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget,
      targetGroup,
      scaleInCooldown: Duration.minutes(2),
      scaleOutCooldown: Duration.seconds(60),
    });
  }

  private platformValues(
    app: AppDefinition,
    platform: ServicePlatform,
    serviceHost: (app: AppName) => string,
    vpc: ec2.IVpc,
  ): PlatformValues<ecs.Secret> {
    const login = platform.database.login(app.name);
    const plain: Record<string, string> = {
      NODE_ENV: 'production',
      DB_HOST: platform.database.host,
      DB_PORT: String(platform.database.port),
      DB_SSL: 'true',
      KAFKA_BROKERS: platform.kafka.bootstrapBrokers,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: platform.kafka.username,
      PATIENT_ENCRYPTION_KEY_ID: platform.patientFieldKeys.keyId,
      // Whose X-Forwarded-For is believed: the gateway believes the ALB (public subnets), every
      // other service the gateway (private subnets), so audit sourceIp is the client's.
      TRUSTED_PROXIES: subnetCidrs(app.name === 'gateway' ? vpc.publicSubnets : vpc.privateSubnets),
    };
    const secrets: Record<string, ecs.Secret> = {
      REDIS_URL: ecs.Secret.fromSecretsManager(platform.redis.url),
      AUTH_SIGNING_KEYS: ecs.Secret.fromSecretsManager(platform.authSigningKeys),
      KAFKA_SASL_PASSWORD: ecs.Secret.fromSecretsManager(platform.kafka.credentials, 'password'),
      PATIENT_ENCRYPTION_KEYS: ecs.Secret.fromSecretsManager(platform.patientFieldKeys.encryptionKeys),
      PATIENT_BLIND_INDEX_KEY: ecs.Secret.fromSecretsManager(platform.patientFieldKeys.blindIndexKey),
    };
    if (login) {
      plain.DB_USER = login.username;
      secrets.DB_PASSWORD = ecs.Secret.fromSecretsManager(login.secret, 'password');
    }
    return { plain, secrets, serviceHost };
  }

  private runService(
    app: AppDefinition,
    props: ComputeProps,
    serviceHost: (app: AppName) => string,
  ): RunningService {
    const { settings, platform } = props;
    const name = capitalized(app.name);
    const scope = new Construct(this, name);
    const sizing: ServiceSizing = app.name === 'gateway' ? settings.services.gateway : settings.services.defaults;
    const generated = serviceEnvironment(
      app,
      props.apps,
      this.platformValues(app, platform, serviceHost, props.vpc),
      settings.serviceVariables?.[app.name] ?? {},
    );

    const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${app.name} service tasks`,
      // Tasks reach Secrets Manager, ECR and CloudWatch through the NAT gateway.
      allowAllOutbound: true,
    });
    if ('DB_HOST' in generated.environment) platform.database.allowFrom(securityGroup, `${app.name} service`);
    if ('KAFKA_BROKERS' in generated.environment) platform.kafka.allowFrom(securityGroup, `${app.name} service`);
    if ('REDIS_URL' in generated.secrets) platform.redis.allowFrom(securityGroup, `${app.name} service`);
    if (app.usesKafka && !app.variables.some((variable) => variable.name === 'KAFKA_SASL_PASSWORD')) {
      Annotations.of(scope).addWarningV2(
        'patient-management:kafka-without-sasl',
        `${app.name}: its config schema has no KAFKA_SASL_* / KAFKA_SSL variables, so it cannot authenticate to MSK (SASL/SCRAM over TLS on 9096). Add them to @pm/platform kafkaSchema and @pm/kafka.`,
      );
    }

    const logGroup = new logs.LogGroup(scope, 'Logs', {
      retention: retentionFor(settings.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', {
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      // Fargate has no tmpfs: a task-local volume gives the read-only root file system a writable /tmp.
      volumes: [{ name: 'tmp' }],
    });
    const environment = { ...generated.environment };
    // Node's own variable (not app config): trust the RDS CA the image carries.
    if (app.databaseName) environment.NODE_EXTRA_CA_CERTS = EXTRA_CA_CERTS_PATH;
    const container = taskDefinition.addContainer('App', {
      containerName: app.name,
      image: this.image(scope, app, props.apps, settings.image),
      environment,
      secrets: generated.secrets,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: app.name }),
      portMappings: [
        { name: 'http', containerPort: app.httpPort },
        ...(app.grpcPort ? [{ name: 'grpc', containerPort: app.grpcPort }] : []),
      ],
      healthCheck: {
        command: ['CMD', 'node', 'healthcheck.js', '/health/live'],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      stopTimeout: Duration.seconds(30),
    });
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });

    const service = new ecs.FargateService(scope, 'Service', {
      cluster: this.cluster,
      serviceName: app.name,
      taskDefinition,
      desiredCount: sizing.minTasks,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      assignPublicIp: false,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      cloudMapOptions: {
        name: app.name,
        cloudMapNamespace: this.namespace,
        dnsRecordType: servicediscovery.DnsRecordType.A,
        dnsTtl: Duration.seconds(10),
      },
      ...(app.name === 'gateway' ? { healthCheckGracePeriod: Duration.seconds(60) } : {}),
    });
    // A consumer cannot use more tasks than its topics have partitions.
    const maxTasks = app.consumerGroup ? Math.min(sizing.maxTasks, settings.kafka.partitions) : sizing.maxTasks;
    const scaling = service.autoScaleTaskCount({ minCapacity: sizing.minTasks, maxCapacity: Math.max(maxTasks, sizing.minTasks) });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: settings.services.cpuTargetPercent,
      scaleInCooldown: Duration.minutes(2),
      scaleOutCooldown: Duration.seconds(60),
    });

    acknowledge(
      taskDefinition,
      [
        {
          id: 'AwsSolutions-ECS2',
          reason:
            'Only non-secret values (endpoints, ports, flags) are plain environment variables, generated from the app config schema; every secret is injected from Secrets Manager.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'ecr:GetAuthorizationToken, granted to the execution role so it can pull the image, has no resource-level permissions: AWS requires Resource "*".',
        },
        {
          id: 'HIPAA.Security-IAMNoInlinePolicy',
          reason:
            "The execution role's grants (this service's secrets, their keys, its log group, its image) live in its own inline policy so they cannot be attached to another service; a customer-managed policy would hold the same statements.",
        },
      ],
    );
    return {
      app,
      service,
      taskDefinition,
      container,
      securityGroup,
      scaling,
      environment,
      secretNames: Object.keys(generated.secrets),
    };
  }

  private image(
    scope: Construct,
    app: AppDefinition,
    allApps: readonly AppDefinition[],
    source: ImageSource,
  ): ecs.ContainerImage {
    if (source.kind === 'ecr') {
      const repository = ecr.Repository.fromRepositoryName(scope, 'Repository', `${source.repositoryPrefix}/${app.name}`);
      return ecs.ContainerImage.fromEcrRepository(repository, source.tag);
    }
    // Built by `cdk deploy`; synth only hashes the build context, so it needs no Docker.
    return ecs.ContainerImage.fromAsset(REPOSITORY_ROOT, {
      file: DOCKERFILE,
      buildArgs: { APP: app.name, EXTRA_CA_CERTS_URL: RDS_CA_BUNDLE_URL },
      platform: Platform.LINUX_AMD64,
      ignoreMode: IgnoreMode.DOCKER,
      // Only what the Dockerfile copies for this app counts, so a change elsewhere rebuilds nothing.
      exclude: [
        'infrastructure',
        '!infrastructure/docker/healthcheck.js',
        '!infrastructure/local/build.mjs',
        'integration-tests',
        'api-requests',
        'grpc-requests',
        '**/*.spec.ts',
        '**/*.int-spec.ts',
        ...allApps.filter((other) => other.name !== app.name).map((other) => `apps/${other.name}`),
      ],
    });
  }
}

function subnetCidrs(subnets: readonly ec2.ISubnet[]): string {
  return subnets.map((subnet) => subnet.ipv4CidrBlock).join(',');
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
