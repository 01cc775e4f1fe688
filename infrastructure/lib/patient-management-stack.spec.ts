import { Match, Template } from 'aws-cdk-lib/assertions';
import { apps, PUBLIC_APP } from './apps';
import { applyComplianceChecks, NAG_RULE_PATTERN } from './compliance';
import { type EnvironmentName, environmentNames, environmentSettings } from './environments';
import { PatientManagementStack } from './patient-management-stack';
import { testApp } from './testing/test-stack';

/** Each environment synthesized once, with both cdk-nag packs applied to the whole app. */
function synth(environment: EnvironmentName) {
  const app = testApp();
  const stack = new PatientManagementStack(app, `PatientManagement-${environment}`, {
    settings: environmentSettings(environment),
  });
  const { packs } = applyComplianceChecks(app);
  const template = Template.fromStack(stack);
  const findings = packs.flatMap((pack) =>
    pack.validateScope(app).violations.map((violation) => ({
      rule: violation.ruleName,
      severity: violation.severity,
      resources: violation.violatingResources.map((resource) => resource.constructPath),
    })),
  );
  return { stack, template, findings };
}

const synthesized = Object.fromEntries(environmentNames.map((name) => [name, synth(name)])) as Record<
  EnvironmentName,
  ReturnType<typeof synth>
>;

describe.each(environmentNames)('PatientManagementStack (%s)', (environment) => {
  const { template, stack, findings } = synthesized[environment];

  it('has no cdk-nag finding (AwsSolutions, HIPAA Security) that is not acknowledged with a reason', () => {
    expect(findings.filter((finding) => new RegExp(`^(${NAG_RULE_PATTERN})`).test(finding.rule))).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('has exactly one load balancer, internet-facing, forwarding only to the gateway', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    const targetGroup = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0];
    const services = Object.values(template.findResources('AWS::ECS::Service'));
    const behindLoadBalancer = services.filter((service) => service.Properties.LoadBalancers?.length);
    expect(behindLoadBalancer.map((service) => service.Properties.ServiceName)).toEqual([PUBLIC_APP]);
    expect(behindLoadBalancer[0].Properties.LoadBalancers[0].TargetGroupArn).toEqual({ Ref: targetGroup });
    const forwards = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).flatMap((listener) =>
      listener.Properties.DefaultActions.filter((action: { Type: string }) => action.Type === 'forward'),
    );
    expect(forwards).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }]);
  });

  it('runs one service per app', () => {
    template.resourceCountIs('AWS::ECS::Service', apps.length);
  });

  it('encrypts every log group and every secret with a customer-managed key', () => {
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.filter((group) => !group.Properties.KmsKeyId)).toEqual([]);
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets.filter((secret) => !secret.Properties.KmsKeyId)).toEqual([]);
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('keeps PostgreSQL private and open only to the apps that own a database (and its deploy-time functions)', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false, StorageEncrypted: true });
    const databaseGroup = stack.resolve(stack.data.instance.connections.securityGroups[0].securityGroupId);
    const sources = Object.values(
      template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: databaseGroup } }),
    ).map((rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0] as string);
    const expected = apps.filter((app) => app.databaseName).map((app) => `Compute${app.name[0].toUpperCase()}${app.name.slice(1)}SecurityGroup`);
    const fromServices = sources.filter((source) => source.startsWith('Compute'));
    expect(fromServices.map((source) => source.replace(/SecurityGroup.*$/, 'SecurityGroup')).sort()).toEqual(expected.sort());
    expect(sources.filter((source) => !source.startsWith('Compute')).every((source) => source.startsWith('Data'))).toBe(true);
  });

  it('wires every database-owning service to its own credentials secret', () => {
    for (const app of apps.filter((candidate) => candidate.databaseName)) {
      const secret = stack.resolve(stack.data.credentials.get(app.name)!.secretArn);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            Name: app.name,
            Secrets: Match.arrayWith([{ Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Join': ['', [secret, ':password::']] } }]),
          }),
        ],
      });
    }
  });

  it('exports the public URL and the alarm topic', () => {
    template.hasOutput('Url', Match.anyValue());
    template.hasOutput('AlarmTopicArn', Match.anyValue());
  });
});

describe('environment differences', () => {
  it('production: Multi-AZ database and cache, one NAT gateway per AZ, HTTPS-ready, retained data', () => {
    const { template } = synthesized.prod;
    template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, DeletionProtection: true });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { MultiAZEnabled: true });
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Retain' });
  });

  it('dev: single-AZ database, one NAT gateway, HTTP only', () => {
    const { template } = synthesized.dev;
    template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80 });
  });
});
