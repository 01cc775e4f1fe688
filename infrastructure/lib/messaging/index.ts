import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import { encryptionKey } from '../encryption';
import type { EnvironmentSettings } from '../environments';
import { retentionFor } from '../log-retention';
import { PlatformFunction } from '../platform-functions';

/** MSK's listener for SASL/SCRAM over TLS. */
export const KAFKA_SCRAM_PORT = 9096;

export interface MessagingProps {
  readonly vpc: ec2.IVpc;
  readonly settings: EnvironmentSettings['kafka'];
  readonly environmentName: string;
  /** The contract's topics (from @pm/contracts). */
  readonly topics: readonly string[];
  readonly retainData: boolean;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Provisioned MSK in the isolated subnets: TLS between clients and brokers and between brokers,
 * storage encrypted with its own KMS key, SASL/SCRAM authentication (KafkaJS speaks SCRAM; MSK
 * IAM auth would need a plugin, and MSK Serverless offers IAM only). Unauthenticated and
 * plaintext access are off. The contract's topics are declared here.
 */
export class Messaging extends Construct {
  readonly key: kms.Key;
  readonly cluster: msk.CfnCluster;
  readonly clusterName: string;
  readonly securityGroup: ec2.SecurityGroup;
  /** `{"username","password"}` of the services' SCRAM user. */
  readonly credentials: secretsmanager.Secret;
  readonly username = 'pm_services';
  /** Comma-separated host:port list of the SCRAM listeners, read at deploy time. */
  readonly bootstrapBrokers: string;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const { settings } = props;
    this.key = encryptionKey(this, 'Key', 'Kafka storage and SCRAM credentials', props.retainData);
    this.clusterName = `patient-management-${props.environmentName}`;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'MSK brokers: SCRAM/TLS from the services that use Kafka only',
      allowAllOutbound: false,
    });

    const brokerLogs = new logs.LogGroup(this, 'BrokerLogs', {
      retention: retentionFor(props.logRetentionDays),
      encryptionKey: props.logKey,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const configuration = new msk.CfnConfiguration(this, 'Configuration', {
      name: `${this.clusterName}-config`,
      kafkaVersionsList: [settings.kafkaVersion],
      serverProperties: [
        // Topics are declared (AWS::MSK::Topic), so a typo in a topic name fails instead of creating one.
        `auto.create.topics.enable=${!settings.manageTopics}`,
        `default.replication.factor=${replicationFactor(settings.brokerCount)}`,
        'min.insync.replicas=1',
        `num.partitions=${settings.partitions}`,
      ].join('\n'),
    });

    this.cluster = new msk.CfnCluster(this, 'Cluster', {
      clusterName: this.clusterName,
      kafkaVersion: settings.kafkaVersion,
      numberOfBrokerNodes: settings.brokerCount,
      brokerNodeGroupInfo: {
        instanceType: settings.brokerInstanceType,
        clientSubnets: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
        securityGroups: [this.securityGroup.securityGroupId],
        storageInfo: { ebsStorageInfo: { volumeSize: settings.volumeSizeGiB } },
      },
      encryptionInfo: {
        encryptionAtRest: { dataVolumeKmsKeyId: this.key.keyArn },
        encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
      },
      clientAuthentication: {
        sasl: { scram: { enabled: true }, iam: { enabled: false } },
        unauthenticated: { enabled: false },
      },
      configurationInfo: { arn: configuration.attrArn, revision: 1 },
      loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
      // Consumer-lag metrics per group and topic are published at this level.
      enhancedMonitoring: 'DEFAULT',
    });
    this.cluster.applyRemovalPolicy(props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

    // MSK only accepts SCRAM secrets named AmazonMSK_* and encrypted with a customer-managed key.
    this.credentials = new secretsmanager.Secret(this, 'ScramCredentials', {
      secretName: `AmazonMSK_${this.clusterName}-services`,
      description: 'SASL/SCRAM user of the patient-management services',
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: this.username }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 48,
      },
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new msk.CfnBatchScramSecret(this, 'ScramAssociation', {
      clusterArn: this.cluster.attrArn,
      secretArnList: [this.credentials.secretArn],
    });

    if (settings.manageTopics) {
      for (const topic of props.topics) {
        new msk.CfnTopic(this, `Topic-${topic}`, {
          clusterArn: this.cluster.attrArn,
          topicName: topic,
          partitionCount: settings.partitions,
          replicationFactor: replicationFactor(settings.brokerCount),
        });
      }
    }

    const lookup = new PlatformFunction(this, 'ReadBootstrapBrokers', {
      handler: 'kafka-bootstrap-brokers',
      description: 'Reads the SASL/SCRAM bootstrap brokers of the MSK cluster',
      vpc: props.vpc,
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainData,
    });
    lookup.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kafka:GetBootstrapBrokers'],
        resources: [this.cluster.attrArn],
      }),
    );
    const brokers = lookup.resource(this, 'BootstrapBrokers', 'KafkaBootstrapBrokers', {
      ClusterArn: this.cluster.attrArn,
    });
    this.bootstrapBrokers = brokers.getAttString('SaslScram');

    acknowledge(this.credentials, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'MSK reads SCRAM secrets only when they are associated, and the services read it at task start: rotate by putting a new password, re-associating and redeploying (README, Deploy).',
      },
      { id: 'HIPAA.Security-SecretsManagerRotationEnabled', reason: 'Same as AwsSolutions-SMG4: rotation by redeploy.' },
    ]);
  }

  /** Opens the SCRAM/TLS listener to one peer (a service's security group). */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(KAFKA_SCRAM_PORT), description);
  }
}

function replicationFactor(brokers: number): number {
  return Math.min(brokers, 3);
}
