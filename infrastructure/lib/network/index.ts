import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import { retentionFor } from '../log-retention';

export interface NetworkProps {
  readonly cidr: string;
  readonly natGateways: number;
  readonly flowLogRetentionDays: number;
  readonly logKey: kms.IKey;
}

/**
 * The VPC over two AZs: public subnets for the load balancer and NAT, private subnets (egress
 * through NAT) for the services, isolated subnets (no route out) for PostgreSQL, Kafka and Redis.
 * Every flow is logged so that network incidents can be investigated afterwards.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: retentionFor(props.flowLogRetentionDays),
      encryptionKey: props.logKey,
      // Audit evidence outlives a torn-down stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways: props.natGateways,
      // Nothing gets a public address by launching in a public subnet: the ALB and the NAT
      // gateways bring their own.
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    acknowledge(this.vpc, [
      {
        id: 'HIPAA.Security-VPCDefaultSecurityGroupClosed',
        reason:
          "Nothing uses the VPC's default security group: every load balancer, task, function and data store gets its own group. Closing it needs another CDK custom-resource function.",
      },
      {
        id: 'HIPAA.Security-IAMNoInlinePolicy',
        reason: "The flow-log role's only permission (write to its one log group) is inline so it serves nothing else.",
      },
    ]);
    for (const subnet of this.vpc.publicSubnets) {
      acknowledge(subnet, [
        {
          id: 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
          reason:
            'Public subnets exist for the internet-facing load balancer and the NAT gateways; their default route to the internet gateway is their purpose. Services and data stores live in private and isolated subnets.',
        },
      ]);
    }
  }
}
