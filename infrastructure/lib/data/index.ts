import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import type { AppName } from '../apps';
import { encryptionKey } from '../encryption';
import type { EnvironmentSettings } from '../environments';
import { retentionFor } from '../log-retention';
import { PlatformFunction } from '../platform-functions';

export const POSTGRES_PORT = 5432;
const LOG_EXPORTS = ['postgresql', 'upgrade'];

export interface ServiceDatabase {
  readonly app: AppName;
  /** The database the app's schema names (DB_NAME default). */
  readonly name: string;
}

export interface DataProps {
  readonly vpc: ec2.IVpc;
  readonly settings: EnvironmentSettings['database'];
  readonly environmentName: string;
  readonly databases: readonly ServiceDatabase[];
  readonly retainData: boolean;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * PostgreSQL 17 on RDS in the isolated subnets, encrypted with its own KMS key, reachable only
 * from the security groups given to `allowFrom`. Each service gets its own login role and
 * database (created at deploy time by a custom resource), with credentials generated in Secrets
 * Manager; the master credentials are used by nothing but that custom resource and rotate.
 */
export class Data extends Construct {
  readonly key: kms.Key;
  readonly instance: rds.DatabaseInstance;
  readonly credentials = new Map<AppName, rds.DatabaseSecret>();
  readonly usernames = new Map<AppName, string>();

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { settings } = props;
    this.key = encryptionKey(this, 'Key', 'PostgreSQL storage and credentials', props.retainData);
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_6 });
    const instanceIdentifier = `patient-management-${props.environmentName}`;
    // The log groups RDS exports into, created first so they are encrypted and retained as we say
    // (RDS would create them unencrypted, and CDK's retention setter needs an extra function).
    const logGroups = LOG_EXPORTS.map(
      (log) =>
        new logs.LogGroup(this, `${log}Logs`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${log}`,
          retention: retentionFor(props.logRetentionDays),
          encryptionKey: props.logKey,
          removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, 'Postgres', {
      engine,
      instanceType: new ec2.InstanceType(settings.instanceType),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      credentials: rds.Credentials.fromGeneratedSecret('pm_admin', { encryptionKey: this.key }),
      storageEncrypted: true,
      storageEncryptionKey: this.key,
      storageType: rds.StorageType.GP3,
      allocatedStorage: settings.allocatedStorageGiB,
      maxAllocatedStorage: settings.maxAllocatedStorageGiB,
      multiAz: settings.multiAz,
      backupRetention: Duration.days(settings.backupRetentionDays),
      deletionProtection: settings.deletionProtection,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      monitoringInterval: Duration.seconds(60),
      instanceIdentifier,
      cloudwatchLogsExports: LOG_EXPORTS,
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        description: 'Patient management: TLS only, connections logged',
        parameters: { 'rds.force_ssl': '1', log_connections: '1', log_disconnections: '1' },
      }),
    });
    for (const logGroup of logGroups) this.instance.node.addDependency(logGroup);
    if (settings.rotateMasterPassword) {
      // Only the bootstrap function uses these credentials, and it reads them afresh each time.
      this.instance.addRotationSingleUser({ automaticallyAfter: Duration.days(30) });
      // CDK opens the instance to the rotation function on the instance's port attribute, a
      // deploy-time token the port rules cannot read; the port is POSTGRES_PORT.
      const rotationIngress = this.instance.connections.securityGroups[0].node.children.filter((child) =>
        child.node.id.includes('RotationSingleUser'),
      );
      for (const ingress of rotationIngress) {
        acknowledge(ingress, [
          { id: 'HIPAA.Security-EC2RestrictedCommonPorts', reason: 'Rotation function -> PostgreSQL on 5432 (port given as a token).' },
          { id: 'HIPAA.Security-EC2RestrictedSSH', reason: 'Rotation function -> PostgreSQL on 5432, not SSH (port given as a token).' },
        ]);
      }
    } else {
      acknowledge(this.instance.node.findChild('Secret'), [
        {
          id: 'AwsSolutions-SMG4',
          reason: 'LocalStack only: rotation needs the Serverless Application Repository, which LocalStack does not serve.',
        },
        { id: 'HIPAA.Security-SecretsManagerRotationEnabled', reason: 'LocalStack only: see AwsSolutions-SMG4.' },
      ]);
    }

    const bootstrap = new PlatformFunction(this, 'CreateDatabases', {
      handler: 'postgres-databases',
      description: 'Creates one role and one database per service',
      vpc: props.vpc,
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainData,
    });
    this.instance.secret!.grantRead(bootstrap.function);
    this.allowFrom(bootstrap.securityGroup, 'Database bootstrap function');

    const databases = props.databases.map(({ app, name }) => {
      const username = `${name}_service`;
      const secret = new rds.DatabaseSecret(this, `${capitalized(app)}Credentials`, {
        username,
        encryptionKey: this.key,
      });
      secret.grantRead(bootstrap.function);
      this.credentials.set(app, secret);
      this.usernames.set(app, username);
      acknowledge(secret, [
        {
          id: 'AwsSolutions-SMG4',
          reason:
            'A service reads its password only when a task starts; rotating it underneath running tasks would break their next connections. Rotate by putting a new value and redeploying (README, Deploy), which re-runs the database bootstrap.',
        },
        { id: 'HIPAA.Security-SecretsManagerRotationEnabled', reason: 'Same as AwsSolutions-SMG4: rotation by redeploy.' },
      ]);
      return { Name: name, OwnerSecretArn: secret.secretArn };
    });
    const created = bootstrap.resource(this, 'ServiceDatabases', 'PostgresDatabases', {
      Host: this.instance.instanceEndpoint.hostname,
      Port: String(POSTGRES_PORT),
      MasterSecretArn: this.instance.secret!.secretArn,
      Databases: databases,
    });
    created.node.addDependency(this.instance);

    acknowledge(
      this.instance,
      [
        {
          id: 'AwsSolutions-RDS11',
          reason:
            'Port 5432 is kept for tooling; the instance sits in isolated subnets behind a security group open only to the services that own a database, so a non-standard port hides nothing.',
        },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
          reason: 'AmazonRDSEnhancedMonitoringRole is the AWS-managed policy enhanced monitoring requires.',
        },
        {
          id: 'HIPAA.Security-RDSInBackupPlan',
          reason:
            'RDS automated backups with point-in-time recovery cover the instance (retention per environment: 1/7/35 days); an AWS Backup plan would duplicate them. Add one when cross-region or vault-locked copies are required.',
        },
        ...(settings.multiAz
          ? []
          : [
              { id: 'AwsSolutions-RDS3', reason: 'Single-AZ outside production to halve the instance cost; production is Multi-AZ.' },
              { id: 'HIPAA.Security-RDSMultiAZSupport', reason: 'Single-AZ outside production (cost); production is Multi-AZ.' },
            ]),
        ...(settings.deletionProtection
          ? []
          : [
              {
                id: 'AwsSolutions-RDS10',
                reason: 'Non-production environments are torn down and recreated; production has deletion protection.',
              },
              {
                id: 'HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
                reason: 'Non-production environments are torn down and recreated; production has deletion protection.',
              },
            ]),
      ],
    );
  }

  /** Opens PostgreSQL to one peer (a service's security group); nothing else reaches it. */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    // An explicit port: the instance's own port attribute is a deploy-time token.
    this.instance.connections.allowFrom(peer, ec2.Port.tcp(POSTGRES_PORT), description);
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
