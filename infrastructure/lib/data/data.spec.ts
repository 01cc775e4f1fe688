import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { constructTestStack } from '../testing/test-stack';
import { Data } from '.';

function synth(environment: string) {
  const { stack, vpc, logKey, settings } = constructTestStack(environment);
  const data = new Data(stack, 'Data', {
    vpc,
    settings: settings.database,
    environmentName: settings.name,
    databases: [
      { app: 'patient', name: 'patient' },
      { app: 'billing', name: 'billing' },
    ],
    retainData: settings.retainData,
    logKey,
    logRetentionDays: settings.logRetentionDays,
  });
  const service = new ec2.SecurityGroup(stack, 'PatientService', { vpc });
  data.allowFrom(service, 'patient service');
  return { template: Template.fromStack(stack), stack, data, service };
}

describe('Data', () => {
  const dev = synth('dev');
  const prod = synth('prod');

  it('runs PostgreSQL 17, encrypted with its own KMS key, not publicly accessible, in isolated subnets', () => {
    dev.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      EngineVersion: Match.stringLikeRegexp('^17\\.'),
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
      PubliclyAccessible: false,
      Port: '5432',
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    const subnetGroup = Object.values(dev.template.findResources('AWS::RDS::DBSubnetGroup'))[0];
    const isolated = dev.stack.resolve(
      (dev.stack.node.findChild('Vpc') as ec2.Vpc).isolatedSubnets.map((subnet) => subnet.subnetId),
    );
    expect(subnetGroup.Properties.SubnetIds).toEqual(isolated);
  });

  it('forces TLS on every connection', () => {
    dev.template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
  });

  it('is single-AZ and deletable in dev, Multi-AZ, protected and retained in prod', () => {
    dev.template.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: false,
      DeletionProtection: false,
      BackupRetentionPeriod: 7,
      DBInstanceClass: 'db.t4g.micro',
    });
    prod.template.hasResource('AWS::RDS::DBInstance', {
      Properties: Match.objectLike({
        MultiAZ: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 35,
        DBInstanceClass: 'db.m7g.large',
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('generates the master and one credential per service in Secrets Manager, KMS-encrypted', () => {
    const secrets = dev.template.findResources('AWS::SecretsManager::Secret', {
      Properties: {
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
      },
    });
    const usernames = Object.values(secrets).map(
      (secret) => JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate).username,
    );
    expect(usernames.sort()).toEqual(['billing_service', 'patient_service', 'pm_admin']);
    dev.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
  });

  it('creates one database per service, owned by its own role, at deploy time', () => {
    dev.template.hasResourceProperties('Custom::PostgresDatabases', {
      Databases: [
        { Name: 'patient', OwnerSecretArn: { Ref: Match.stringLikeRegexp('^DataPatientCredentials') } },
        { Name: 'billing', OwnerSecretArn: { Ref: Match.stringLikeRegexp('^DataBillingCredentials') } },
      ],
      Port: '5432',
    });
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'postgres-databases.handler',
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
    });
  });

  it('opens 5432 only to the services given to allowFrom and to the bootstrap and rotation functions', () => {
    const databaseGroup = dev.stack.resolve(dev.data.instance.connections.securityGroups[0].securityGroupId);
    const ingress = Object.values(
      dev.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: databaseGroup } }),
    ).map((rule) => ({
      from: rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0],
      port: rule.Properties.FromPort,
      toPort: rule.Properties.ToPort,
    }));
    expect(ingress).toHaveLength(3);
    expect(ingress.map((rule) => rule.from).sort()).toEqual(
      [
        expect.stringMatching(/^DataCreateDatabasesSecurityGroup/),
        expect.stringMatching(/^DataPostgresRotationSingleUserSecurityGroup/),
        expect.stringMatching(/^PatientService/),
      ].sort(),
    );
    expect(ingress.filter((rule) => rule.from.startsWith('PatientService') || rule.from.startsWith('DataCreate'))).toEqual([
      expect.objectContaining({ port: 5432, toPort: 5432 }),
      expect.objectContaining({ port: 5432, toPort: 5432 }),
    ]);
    const cidrIngress = Object.values(dev.template.findResources('AWS::EC2::SecurityGroup')).flatMap(
      (group) => group.Properties.SecurityGroupIngress ?? [],
    );
    expect(cidrIngress).toEqual([]);
  });

  it('exports its logs to encrypted groups it owns', () => {
    for (const log of ['postgresql', 'upgrade']) {
      dev.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/rds/instance/patient-management-dev/${log}`,
        KmsKeyId: Match.anyValue(),
        RetentionInDays: 30,
      });
    }
  });
});
