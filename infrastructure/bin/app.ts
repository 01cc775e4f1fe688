import { App } from 'aws-cdk-lib';
import { applyComplianceChecks } from '../lib/compliance';
import { environmentSettings } from '../lib/environments';
import { PatientManagementStack } from '../lib/patient-management-stack';

// `cdk synth -c env=prod` (or CDK_CONTEXT_JSON='{"env":"prod"}' when run with node directly).
const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
const context = (key: string): string | undefined => app.node.tryGetContext(key) || undefined;
const settings = environmentSettings(context('env') ?? 'dev', {
  certificateArn: context('certificateArn'),
  imageTag: context('imageTag'),
  alarmEmail: context('alarmEmail'),
  region: context('region'),
});

// The region comes from the settings; the account from `-c account=...` or, when the CLI runs
// with credentials, CDK_DEFAULT_ACCOUNT. Without either the account stays a deploy-time value.
const account = context('account') ?? process.env.CDK_DEFAULT_ACCOUNT;
new PatientManagementStack(app, `PatientManagement-${settings.name}`, {
  settings,
  env: { account, region: settings.region },
  description: `Patient management (${settings.name}): VPC, RDS, MSK, ElastiCache, ECS Fargate behind an ALB`,
});
applyComplianceChecks(app);

app.synth();
