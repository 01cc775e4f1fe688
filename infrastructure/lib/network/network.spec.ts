import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { logEncryptionKey } from '../encryption';
import { testApp } from '../testing/test-stack';
import { Network } from '.';

function synth(natGateways: number, flowLogRetentionDays: number): Template {
  const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-central-1' } });
  new Network(stack, 'Network', {
    cidr: '10.10.0.0/16',
    natGateways,
    flowLogRetentionDays,
    logKey: logEncryptionKey(stack, 'LogKey', false),
  });
  return Template.fromStack(stack);
}

describe('Network', () => {
  const template = synth(1, 30);

  it('creates one VPC with the given CIDR and DNS for service discovery', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.10.0.0/16',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
    });
  });

  it('spreads public, private and isolated subnets over two AZs; nothing gets a public IP by launching', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const [name, type] of [
      ['public', 'Public'],
      ['private', 'Private'],
      ['isolated', 'Isolated'],
    ]) {
      const subnets = template.findResources('AWS::EC2::Subnet', {
        Properties: {
          Tags: Match.arrayWith([
            { Key: 'aws-cdk:subnet-name', Value: name },
            { Key: 'aws-cdk:subnet-type', Value: type },
          ]),
        },
      });
      expect({ name, count: Object.keys(subnets).length }).toEqual({ name, count: 2 });
    }
    const publicIpOnLaunch = Object.values(template.findResources('AWS::EC2::Subnet')).filter(
      (subnet) => subnet.Properties.MapPublicIpOnLaunch === true,
    );
    expect(publicIpOnLaunch).toEqual([]);
  });

  it('gives isolated subnets no route to the internet', () => {
    const isolatedTables = template.findResources('AWS::EC2::RouteTable', {
      Properties: { Tags: Match.arrayWith([Match.objectLike({ Value: Match.stringLikeRegexp('isolatedSubnet') })]) },
    });
    expect(Object.keys(isolatedTables)).toHaveLength(2);
    const routesFromIsolated = Object.values(template.findResources('AWS::EC2::Route')).filter((route) =>
      Object.keys(isolatedTables).includes(route.Properties.RouteTableId.Ref),
    );
    expect(routesFromIsolated).toEqual([]);
  });

  it('logs all VPC traffic to a retained, KMS-encrypted log group', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.stringLikeRegexp('^NetworkFlowLogs') },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  it('has as many NAT gateways as asked (one outside production, one per AZ in production)', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    synth(2, 365).resourceCountIs('AWS::EC2::NatGateway', 2);
  });
});
