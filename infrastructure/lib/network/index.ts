import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NetworkProps {
  readonly cidr: string;
  readonly natGateways: number;
  readonly flowLogRetentionDays: number;
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
      // Audit evidence outlives a torn-down stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
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
  }
}

function retentionFor(days: number): logs.RetentionDays {
  const retention = Object.values(logs.RetentionDays).find((value) => value === days);
  if (retention === undefined) throw new Error(`CloudWatch Logs has no retention of ${days} days`);
  return retention as logs.RetentionDays;
}
