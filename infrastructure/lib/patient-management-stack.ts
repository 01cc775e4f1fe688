import { CfnOutput, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EnvironmentSettings } from './environments';
import { Network } from './network';

export interface PatientManagementStackProps extends StackProps {
  readonly settings: EnvironmentSettings;
}

/** Everything one environment of the patient-management system runs on. */
export class PatientManagementStack extends Stack {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: PatientManagementStackProps) {
    super(scope, id, props);
    const { settings } = props;
    Tags.of(this).add('project', 'patient-management');
    Tags.of(this).add('environment', settings.name);

    this.network = new Network(this, 'Network', {
      cidr: settings.vpcCidr,
      natGateways: settings.natGateways,
      flowLogRetentionDays: settings.flowLogRetentionDays,
    });

    new CfnOutput(this, 'VpcId', { value: this.network.vpc.vpcId, description: 'VPC of the services' });
  }
}
