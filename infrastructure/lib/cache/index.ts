import { Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import { encryptionKey } from '../encryption';
import type { EnvironmentSettings } from '../environments';

export const REDIS_PORT = 6379;

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  readonly settings: EnvironmentSettings['cache'];
  readonly retainData: boolean;
}

/**
 * An ElastiCache Redis replication group in the isolated subnets: encrypted at rest (own KMS
 * key) and in transit (TLS required), AUTH token generated in Secrets Manager, reachable only
 * from the security groups given to `allowFrom`. Services receive one secret, REDIS_URL
 * (`rediss://:<token>@<primary>:<port>`), assembled by CloudFormation from the token's dynamic
 * reference so the token never appears in the template.
 */
export class Cache extends Construct {
  readonly key: kms.Key;
  readonly securityGroup: ec2.SecurityGroup;
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly authToken: secretsmanager.Secret;
  readonly url: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const { settings } = props;
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = encryptionKey(this, 'Key', 'Redis storage and auth token', props.retainData);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis: TLS from the services that use it only',
      allowAllOutbound: false,
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets of the patient-management VPC',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });

    // ElastiCache tokens: 16-128 printable characters without '/', '"' or '@'; alphanumerics also
    // need no escaping in a URL.
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token',
      encryptionKey: this.key,
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      removalPolicy,
    });

    const failover = settings.replicas > 0;
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Patient management: rate limits, sessions, token revocation',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: settings.nodeType,
      numCacheClusters: 1 + settings.replicas,
      automaticFailoverEnabled: failover,
      multiAzEnabled: failover,
      port: REDIS_PORT,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: this.key.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: settings.snapshotRetentionDays,
      autoMinorVersionUpgrade: true,
    });
    this.replicationGroup.applyRemovalPolicy(removalPolicy);

    this.url = new secretsmanager.Secret(this, 'Url', {
      description: 'REDIS_URL of the services (carries the AUTH token)',
      encryptionKey: this.key,
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          'rediss://:',
          this.authToken.secretValue.unsafeUnwrap(),
          '@',
          this.replicationGroup.attrPrimaryEndPointAddress,
          ':',
          this.replicationGroup.attrPrimaryEndPointPort,
        ]),
      ),
      removalPolicy,
    });

    const rotation = {
      reason:
        'ElastiCache AUTH token rotation (ROTATE then SET) must be coordinated with the services, which read REDIS_URL at task start: done by hand as documented in the README (Deploy), not by a rotation function.',
    };
    for (const secret of [this.authToken, this.url]) {
      acknowledge(secret, [
        { id: 'AwsSolutions-SMG4', ...rotation },
        { id: 'HIPAA.Security-SecretsManagerRotationEnabled', ...rotation },
      ]);
    }
    acknowledge(this.replicationGroup, [
      {
        id: 'AwsSolutions-AEC5',
        reason:
          'Port 6379 is kept for tooling; the group sits in isolated subnets behind a security group open only to the services that use Redis, so another port hides nothing.',
      },
      ...(failover
        ? []
        : [
            {
              id: 'AwsSolutions-AEC4',
              reason:
                'One node outside production (cost): losing it costs rate-limit windows and the revocation list for at most one access-token lifetime. Production has a replica with Multi-AZ failover.',
            },
          ]),
    ]);
  }

  /** Opens Redis to one peer (a service's security group). */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(REDIS_PORT), description);
  }
}
