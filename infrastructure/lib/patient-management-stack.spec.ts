import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { environmentSettings } from './environments';
import { PatientManagementStack } from './patient-management-stack';

function synth(environment: string): Template {
  const app = new App();
  const stack = new PatientManagementStack(app, `Test-${environment}`, {
    settings: environmentSettings(environment),
  });
  return Template.fromStack(stack);
}

describe('PatientManagementStack', () => {
  const dev = synth('dev');

  it('creates one VPC with the environment CIDR and DNS for service discovery', () => {
    dev.resourceCountIs('AWS::EC2::VPC', 1);
    dev.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.10.0.0/16',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
      Tags: Match.arrayWith([
        { Key: 'environment', Value: 'dev' },
        { Key: 'project', Value: 'patient-management' },
      ]),
    });
  });

  it('spreads public, private and isolated subnets over two AZs', () => {
    dev.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const [name, type] of [
      ['public', 'Public'],
      ['private', 'Private'],
      ['isolated', 'Isolated'],
    ]) {
      const subnets = dev.findResources('AWS::EC2::Subnet', {
        Properties: {
          Tags: Match.arrayWith([
            { Key: 'aws-cdk:subnet-name', Value: name },
            { Key: 'aws-cdk:subnet-type', Value: type },
          ]),
        },
      });
      expect({ name, count: Object.keys(subnets).length }).toEqual({ name, count: 2 });
    }
    dev.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true, CidrBlock: '10.10.0.0/24' });
  });

  it('gives isolated subnets no route to the internet', () => {
    const isolatedTables = dev.findResources('AWS::EC2::RouteTable', {
      Properties: { Tags: Match.arrayWith([Match.objectLike({ Value: Match.stringLikeRegexp('isolatedSubnet') })]) },
    });
    expect(Object.keys(isolatedTables)).toHaveLength(2);
    const routes = dev.findResources('AWS::EC2::Route');
    const routesFromIsolated = Object.values(routes).filter((route) =>
      Object.keys(isolatedTables).includes(route.Properties.RouteTableId.Ref),
    );
    expect(routesFromIsolated).toEqual([]);
  });

  it('logs all VPC traffic to a retained CloudWatch log group', () => {
    dev.resourceCountIs('AWS::EC2::FlowLog', 1);
    dev.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      ResourceId: { Ref: Match.stringLikeRegexp('^NetworkVpc') },
      LogGroupName: { Ref: Match.stringLikeRegexp('^NetworkFlowLogs') },
    });
    dev.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' } })],
      },
    });
    dev.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  it('uses one NAT gateway outside production and one per AZ in production', () => {
    dev.resourceCountIs('AWS::EC2::NatGateway', 1);
    const prod = synth('prod');
    prod.resourceCountIs('AWS::EC2::NatGateway', 2);
    prod.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.30.0.0/16' });
    prod.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('exports the VPC id', () => {
    dev.hasOutput('VpcId', { Value: { Ref: Match.stringLikeRegexp('NetworkVpc') } });
  });

  it('refuses an unknown environment, naming the known ones', () => {
    expect(() => environmentSettings('qa')).toThrow("Unknown environment 'qa'; use one of: dev, staging, prod");
  });
});
