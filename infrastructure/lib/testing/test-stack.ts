import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { logEncryptionKey } from '../encryption';
import { type EnvironmentSettings, environmentSettings } from '../environments';

/**
 * An app for tests: no copying of Docker build contexts and no Lambda bundling, so a synth takes
 * a second or two and touches nothing outside the construct tree.
 */
export function testApp(): App {
  return new App({ context: { 'aws:cdk:disable-asset-staging': true, 'aws:cdk:bundling-stacks': [] } });
}

/** A stack with a VPC (public/private/isolated over two AZs) and a log key, for one construct. */
export function constructTestStack(environment = 'dev'): {
  stack: Stack;
  vpc: ec2.Vpc;
  logKey: kms.Key;
  settings: EnvironmentSettings;
} {
  const settings = environmentSettings(environment);
  const stack = new Stack(testApp(), `Test-${environment}`, { env: { region: settings.region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  return { stack, vpc, logKey: logEncryptionKey(stack, 'LogKey', false), settings };
}
