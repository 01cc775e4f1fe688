import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TOPIC_PARTITIONS, Topics } from '@pm/contracts';
import { environmentNames, environments } from '../environments';
import { constructTestStack } from '../testing/test-stack';
import { KAFKA_SCRAM_PORT, Messaging } from '.';

function synth(environment: string) {
  const { stack, vpc, logKey, settings } = constructTestStack(environment);
  const messaging = new Messaging(stack, 'Messaging', {
    vpc,
    settings: settings.kafka,
    environmentName: settings.name,
    topics: Object.values(Topics),
    retainData: settings.retainData,
    logKey,
    logRetentionDays: settings.logRetentionDays,
  });
  const consumer = new ec2.SecurityGroup(stack, 'AnalyticsService', { vpc });
  messaging.allowFrom(consumer, 'analytics service');
  return { template: Template.fromStack(stack), stack, messaging };
}

describe('Messaging', () => {
  const dev = synth('dev');

  it('runs MSK with storage encrypted by its own KMS key and TLS between clients and brokers', () => {
    dev.template.hasResourceProperties('AWS::MSK::Cluster', {
      ClusterName: 'patient-management-dev',
      NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: Match.objectLike({ InstanceType: 'kafka.t3.small' }),
      EncryptionInfo: {
        EncryptionAtRest: { DataVolumeKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MessagingKey'), 'Arn'] } },
        EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true },
      },
    });
  });

  it('authenticates with SASL/SCRAM only, with a KMS-encrypted AmazonMSK_ secret', () => {
    dev.template.hasResourceProperties('AWS::MSK::Cluster', {
      ClientAuthentication: {
        Sasl: { Scram: { Enabled: true }, Iam: { Enabled: false } },
        Unauthenticated: { Enabled: false },
      },
    });
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'AmazonMSK_patient-management-dev-services',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MessagingKey'), 'Arn'] },
    });
    dev.template.hasResourceProperties('AWS::MSK::BatchScramSecret', {
      SecretArnList: [{ Ref: Match.stringLikeRegexp('^MessagingScramCredentials') }],
    });
  });

  it('declares every topic of topics.json (dead-letter topics included) and turns topic auto-creation off', () => {
    const topics = Object.values(dev.template.findResources('AWS::MSK::Topic')).map((topic) => topic.Properties);
    expect(topics.map((topic) => topic.TopicName).sort()).toEqual(Object.values(Topics).sort());
    expect(topics.map((topic) => topic.TopicName)).toEqual(expect.arrayContaining(['analytics-dead-letter', 'billing-dead-letter']));
    expect(topics.every((topic) => topic.PartitionCount === 3 && topic.ReplicationFactor === 2)).toBe(true);
    dev.template.hasResourceProperties('AWS::MSK::Configuration', {
      ServerProperties: Match.stringLikeRegexp('auto.create.topics.enable=false'),
    });
  });

  it('sends broker logs to an encrypted log group', () => {
    dev.template.hasResourceProperties('AWS::MSK::Cluster', {
      LoggingInfo: { BrokerLogs: { CloudWatchLogs: { Enabled: true, LogGroup: Match.anyValue() } } },
    });
  });

  it('opens only the SCRAM/TLS listener, only to the peers given to allowFrom', () => {
    const group = dev.stack.resolve(dev.messaging.securityGroup.securityGroupId);
    const ingress = Object.values(
      dev.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: group } }),
    ).map((rule) => [rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0], rule.Properties.FromPort, rule.Properties.ToPort]);
    expect(ingress).toEqual([[expect.stringMatching(/^AnalyticsService/), KAFKA_SCRAM_PORT, KAFKA_SCRAM_PORT]]);
  });

  it('reads the SCRAM bootstrap brokers at deploy time with a function allowed only that call', () => {
    dev.template.hasResourceProperties('Custom::KafkaBootstrapBrokers', {
      ClusterArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MessagingCluster'), 'Arn'] },
    });
    dev.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          { Action: 'kafka:GetBootstrapBrokers', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MessagingCluster'), 'Arn'] } },
        ],
      },
    });
  });

  it.each(environmentNames)('gives every topic in %s the partitions topics.json declares', (name) => {
    expect(environments[name].kafka.partitions).toBe(TOPIC_PARTITIONS);
  });

  it('leaves topic creation to the broker on LocalStack', () => {
    const localstack = synth('localstack');
    localstack.template.resourceCountIs('AWS::MSK::Topic', 0);
  });
});
