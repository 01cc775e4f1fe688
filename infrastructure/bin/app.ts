import { App } from 'aws-cdk-lib';
import { environmentSettings } from '../lib/environments';
import { PatientManagementStack } from '../lib/patient-management-stack';

// `cdk synth -c env=prod` (or CDK_CONTEXT_JSON='{"env":"prod"}' when run with node directly).
const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'cdk.out' });
const settings = environmentSettings(app.node.tryGetContext('env') ?? 'dev');

// Without `account` and `region` in context the stack is environment-agnostic, so synth needs
// no AWS credentials; a deployment pins both.
const account = app.node.tryGetContext('account');
const region = app.node.tryGetContext('region');
new PatientManagementStack(app, `PatientManagement-${settings.name}`, {
  settings,
  env: account && region ? { account, region } : undefined,
  description: `Patient management (${settings.name})`,
});

app.synth();
