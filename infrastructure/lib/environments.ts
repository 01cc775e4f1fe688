/**
 * Everything that differs between deployments, in one typed place; the constructs read only this.
 * `-c env=localstack|dev|prod` picks one; a few values may be overridden from context (see
 * `environmentSettings`). The sizes here are what the bill depends on (see the README, Deploy).
 */
export type EnvironmentName = 'localstack' | 'dev' | 'prod';

/** Where the services' container images come from. */
export type ImageSource =
  /** Built from infrastructure/docker/Dockerfile by `cdk deploy` (needs Docker at deploy, not at synth). */
  | { readonly kind: 'asset' }
  /** Pushed by CI to `<repositoryPrefix>/<app>` with an immutable tag (the git SHA). */
  | { readonly kind: 'ecr'; readonly repositoryPrefix: string; readonly tag: string };

export interface ServiceSizing {
  /** Fargate CPU units (256 = 0.25 vCPU) and memory; must be a valid Fargate pair. */
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

export interface EnvironmentSettings {
  readonly name: EnvironmentName;
  /**
   * Region to deploy to (also needed at synth: ALB access logging depends on it). The account
   * comes from the credentials at deploy time, so synth needs none.
   */
  readonly region: string;
  /** Address space of the VPC; distinct per environment so they could be peered later. */
  readonly vpcCidr: string;
  /** One NAT gateway saves money outside production; production gets one per AZ. */
  readonly natGateways: number;
  readonly flowLogRetentionDays: number;
  /** Retention of the services' and the platform functions' logs. */
  readonly logRetentionDays: number;
  /** Production keeps data stores, keys and logs when the stack is deleted; others clean up. */
  readonly retainData: boolean;

  readonly database: {
    readonly instanceType: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    /** Rotate the master password every 30 days (a Secrets Manager rotation function from AWS's SAR). */
    readonly rotateMasterPassword: boolean;
  };
  readonly kafka: {
    readonly brokerInstanceType: string;
    /** MSK needs a broker count that is a multiple of the AZ count (2). */
    readonly brokerCount: number;
    readonly volumeSizeGiB: number;
    readonly kafkaVersion: string;
    readonly partitions: number;
    /**
     * Create the contract's topics with AWS::MSK::Topic. LocalStack's MSK runs a Kafka that
     * auto-creates topics and does not know this resource type.
     */
    readonly manageTopics: boolean;
  };
  readonly cache: {
    readonly nodeType: string;
    /** Replicas besides the primary; with at least one, failover is automatic and Multi-AZ. */
    readonly replicas: number;
    readonly snapshotRetentionDays: number;
  };
  readonly services: {
    readonly defaults: ServiceSizing;
    /** The gateway takes all external traffic, so it may be sized apart. */
    readonly gateway: ServiceSizing;
    readonly cpuTargetPercent: number;
    /** ALB requests per gateway task per minute before another task is added. */
    readonly gatewayRequestsPerTarget: number;
  };
  readonly edge: {
    /** ACM certificate for HTTPS; without one the load balancer speaks HTTP (dev, LocalStack). */
    readonly certificateArn?: string;
    /** Without a certificate, synth warns (deploy with --strict to make that fatal). */
    readonly requireCertificate: boolean;
    readonly deletionProtection: boolean;
    /** AWS WAF with the managed common and known-bad-inputs rule sets in front of the ALB. */
    readonly waf: boolean;
  };
  readonly alarms: {
    /** Optional e-mail subscription to the alarm topic. */
    readonly email?: string;
    readonly serverErrorRatePercent: number;
    readonly p99LatencySeconds: number;
    readonly consumerLagMessages: number;
  };
  readonly image: ImageSource;
  /**
   * Service variables set on top of what the platform provides (e.g. CORS origins). Checked
   * against each app's config schema: an unknown name is an error.
   */
  readonly serviceVariables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const smallService: ServiceSizing = { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2 };

export const environments: Record<EnvironmentName, EnvironmentSettings> = {
  localstack: {
    name: 'localstack',
    region: 'us-east-1',
    vpcCidr: '10.0.0.0/16',
    natGateways: 1,
    flowLogRetentionDays: 7,
    logRetentionDays: 7,
    retainData: false,
    database: {
      instanceType: 't4g.micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 20,
      multiAz: false,
      backupRetentionDays: 1,
      deletionProtection: false,
      rotateMasterPassword: false,
    },
    kafka: {
      brokerInstanceType: 'kafka.t3.small',
      brokerCount: 2,
      volumeSizeGiB: 10,
      kafkaVersion: '3.9.x',
      partitions: 3,
      manageTopics: false,
    },
    cache: { nodeType: 'cache.t4g.micro', replicas: 0, snapshotRetentionDays: 15 },
    services: {
      defaults: smallService,
      gateway: smallService,
      cpuTargetPercent: 70,
      gatewayRequestsPerTarget: 1000,
    },
    edge: { requireCertificate: false, deletionProtection: false, waf: false },
    alarms: { serverErrorRatePercent: 5, p99LatencySeconds: 2, consumerLagMessages: 1000 },
    image: { kind: 'asset' },
  },
  dev: {
    name: 'dev',
    region: 'eu-central-1',
    vpcCidr: '10.10.0.0/16',
    natGateways: 1,
    flowLogRetentionDays: 30,
    logRetentionDays: 30,
    retainData: false,
    database: {
      instanceType: 't4g.micro',
      allocatedStorageGiB: 20,
      maxAllocatedStorageGiB: 50,
      multiAz: false,
      backupRetentionDays: 7,
      deletionProtection: false,
      rotateMasterPassword: true,
    },
    kafka: {
      brokerInstanceType: 'kafka.t3.small',
      brokerCount: 2,
      volumeSizeGiB: 20,
      kafkaVersion: '3.9.x',
      partitions: 3,
      manageTopics: true,
    },
    cache: { nodeType: 'cache.t4g.micro', replicas: 0, snapshotRetentionDays: 15 },
    services: {
      defaults: smallService,
      gateway: smallService,
      cpuTargetPercent: 70,
      gatewayRequestsPerTarget: 1000,
    },
    edge: { requireCertificate: false, deletionProtection: false, waf: false },
    alarms: { serverErrorRatePercent: 5, p99LatencySeconds: 2, consumerLagMessages: 1000 },
    image: { kind: 'asset' },
  },
  prod: {
    name: 'prod',
    region: 'eu-central-1',
    vpcCidr: '10.30.0.0/16',
    natGateways: 2,
    flowLogRetentionDays: 365,
    logRetentionDays: 365,
    retainData: true,
    database: {
      instanceType: 'm7g.large',
      allocatedStorageGiB: 100,
      maxAllocatedStorageGiB: 500,
      multiAz: true,
      backupRetentionDays: 35,
      deletionProtection: true,
      rotateMasterPassword: true,
    },
    kafka: {
      brokerInstanceType: 'kafka.m7g.large',
      brokerCount: 2,
      volumeSizeGiB: 200,
      kafkaVersion: '3.9.x',
      partitions: 3,
      manageTopics: true,
    },
    cache: { nodeType: 'cache.m7g.large', replicas: 1, snapshotRetentionDays: 15 },
    services: {
      defaults: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6 },
      gateway: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 10 },
      cpuTargetPercent: 60,
      gatewayRequestsPerTarget: 3000,
    },
    edge: { requireCertificate: true, deletionProtection: true, waf: true },
    alarms: { serverErrorRatePercent: 1, p99LatencySeconds: 1, consumerLagMessages: 500 },
    image: { kind: 'ecr', repositoryPrefix: 'patient-management', tag: 'latest' },
  },
};

export const environmentNames = Object.keys(environments) as EnvironmentName[];

/** Values that may come from `-c key=value` at deploy time instead of being committed. */
export interface ContextOverrides {
  readonly region?: string;
  readonly certificateArn?: string;
  readonly imageTag?: string;
  readonly alarmEmail?: string;
}

export function environmentSettings(name: string, overrides: ContextOverrides = {}): EnvironmentSettings {
  if (!Object.hasOwn(environments, name)) {
    throw new Error(`Unknown environment '${name}'; use one of: ${environmentNames.join(', ')}`);
  }
  const settings = environments[name as EnvironmentName];
  const image: ImageSource =
    settings.image.kind === 'ecr' && overrides.imageTag ? { ...settings.image, tag: overrides.imageTag } : settings.image;
  return {
    ...settings,
    region: overrides.region ?? settings.region,
    image,
    edge: { ...settings.edge, certificateArn: overrides.certificateArn ?? settings.edge.certificateArn },
    alarms: { ...settings.alarms, email: overrides.alarmEmail ?? settings.alarms.email },
  };
}
