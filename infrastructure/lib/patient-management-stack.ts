import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Topics } from '@pm/contracts';
import { type AppDefinition, apps as allApps, PUBLIC_APP } from './apps';
import { Cache } from './cache';
import { Compute } from './compute';
import { Data, POSTGRES_PORT } from './data';
import { Edge } from './edge';
import { logEncryptionKey } from './encryption';
import type { EnvironmentSettings } from './environments';
import { PATIENT_ENCRYPTION_KEY_ID, PatientFieldKeys, SigningKeys } from './identity';
import { Messaging } from './messaging';
import { Network } from './network';
import { Observability } from './observability';

export interface PatientManagementStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
  /** Defaults to every app; tests may pass fewer. */
  readonly apps?: readonly AppDefinition[];
}

/** Everything one environment of the patient-management system runs on. */
export class PatientManagementStack extends Stack {
  readonly network: Network;
  readonly data: Data;
  readonly messaging: Messaging;
  readonly cache: Cache;
  readonly signingKeys: SigningKeys;
  readonly compute: Compute;
  readonly edge: Edge;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: PatientManagementStackProps) {
    // The account stays unresolved until deploy time, so synth needs no credentials.
    super(scope, id, { ...props, env: props.env ?? { region: props.settings.region } });
    const { settings } = props;
    const apps = props.apps ?? allApps;
    const common = { retainData: settings.retainData };
    const logging = { logRetentionDays: settings.logRetentionDays };
    Tags.of(this).add('project', 'patient-management');
    Tags.of(this).add('environment', settings.name);

    const logKey = logEncryptionKey(this, 'LogKey', settings.retainData);
    this.network = new Network(this, 'Network', {
      cidr: settings.vpcCidr,
      natGateways: settings.natGateways,
      flowLogRetentionDays: settings.flowLogRetentionDays,
      logKey,
    });
    const { vpc } = this.network;

    this.data = new Data(this, 'Data', {
      vpc,
      settings: settings.database,
      environmentName: settings.name,
      databases: apps.flatMap((app) => (app.databaseName ? [{ app: app.name, name: app.databaseName }] : [])),
      logKey,
      ...common,
      ...logging,
    });
    this.messaging = new Messaging(this, 'Messaging', {
      vpc,
      settings: settings.kafka,
      environmentName: settings.name,
      topics: Object.values(Topics),
      logKey,
      ...common,
      ...logging,
    });
    this.cache = new Cache(this, 'Cache', { vpc, settings: settings.cache, ...common });
    this.signingKeys = new SigningKeys(this, 'SigningKeys', { vpc, logKey, ...common, ...logging });
    const patientFieldKeys = new PatientFieldKeys(this, 'PatientFieldKeys', { retainData: settings.retainData });

    const { data, messaging, cache } = this;
    this.compute = new Compute(this, 'Compute', {
      vpc,
      settings,
      apps,
      logKey,
      platform: {
        database: {
          host: data.instance.instanceEndpoint.hostname,
          port: POSTGRES_PORT,
          login: (app) => {
            const secret = data.credentials.get(app);
            return secret ? { username: data.usernames.get(app)!, secret } : undefined;
          },
          allowFrom: (peer, description) => data.allowFrom(peer, description),
        },
        kafka: {
          bootstrapBrokers: messaging.bootstrapBrokers,
          credentials: messaging.credentials,
          username: messaging.username,
          allowFrom: (peer, description) => messaging.allowFrom(peer, description),
        },
        redis: { url: cache.url, allowFrom: (peer, description) => cache.allowFrom(peer, description) },
        authSigningKeys: this.signingKeys.secret,
        patientFieldKeys: {
          encryptionKeys: patientFieldKeys.encryptionKeys,
          keyId: PATIENT_ENCRYPTION_KEY_ID,
          blindIndexKey: patientFieldKeys.blindIndexKey,
        },
      },
    });

    const gateway = this.compute.services.get(PUBLIC_APP);
    if (!gateway) throw new Error(`The stack needs the ${PUBLIC_APP} app: it is the only public service`);
    this.edge = new Edge(this, 'Edge', {
      vpc,
      settings: settings.edge,
      retainData: settings.retainData,
      environmentName: settings.name,
      accessLogRetentionDays: settings.logRetentionDays,
      logKey,
      logRetentionDays: settings.logRetentionDays,
      publicService: gateway.service,
      containerName: gateway.container.containerName,
      containerPort: gateway.app.httpPort,
    });
    this.compute.scaleOnRequests(PUBLIC_APP, this.edge.targetGroup, settings.services.gatewayRequestsPerTarget);

    this.observability = new Observability(this, 'Observability', {
      settings: settings.alarms,
      retainData: settings.retainData,
      loadBalancer: this.edge.loadBalancer,
      targetGroup: this.edge.targetGroup,
      kafkaClusterName: messaging.clusterName,
      consumerGroups: apps.flatMap((app) => (app.consumerGroup ? [app.consumerGroup] : [])),
      topics: Object.values(Topics),
    });

    new CfnOutput(this, 'VpcId', { value: vpc.vpcId, description: 'VPC of the services' });
    new CfnOutput(this, 'Url', {
      value: `${this.edge.https ? 'https' : 'http'}://${this.edge.loadBalancer.loadBalancerDnsName}`,
      description: 'Public entry point (the gateway)',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn, description: 'SNS topic of the alarms' });
    new CfnOutput(this, 'AuthSigningKeysSecretArn', {
      value: this.signingKeys.secret.secretArn,
      description: "auth's AUTH_SIGNING_KEYS (rotate by prepending a key)",
    });
  }
}
