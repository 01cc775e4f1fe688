import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { apps } from '../apps';
import { constructTestStack } from '../testing/test-stack';
import { isSecretVariable } from './service-environment';
import { Compute, type ServicePlatform } from '.';

const { stack, vpc, logKey, settings } = constructTestStack('dev');
const imported = new Map<string, secretsmanager.ISecret>();
const secret = (name: string) => {
  if (!imported.has(name)) imported.set(name, secretsmanager.Secret.fromSecretNameV2(stack, name, `test/${name}`));
  return imported.get(name)!;
};
const reachers: Record<string, ec2.IConnectable[]> = { database: [], kafka: [], redis: [] };
const platform: ServicePlatform = {
  database: {
    host: 'db.example.internal',
    port: 5432,
    login: (app) => (app === 'gateway' ? undefined : { username: `${app}_service`, secret: secret(`${app}-db`) }),
    allowFrom: (peer) => reachers.database.push(peer),
  },
  kafka: {
    bootstrapBrokers: 'b-1.kafka.internal:9096,b-2.kafka.internal:9096',
    credentials: secret('kafka'),
    username: 'pm_services',
    allowFrom: (peer) => reachers.kafka.push(peer),
  },
  redis: { url: secret('redis-url'), allowFrom: (peer) => reachers.redis.push(peer) },
  authSigningKeys: secret('signing-keys'),
  patientFieldKeys: { encryptionKeys: secret('patient-field-keys'), keyId: 'k1', blindIndexKey: secret('patient-blind-index') },
};
const compute = new Compute(stack, 'Compute', { vpc, settings, apps, platform, logKey });
const template = Template.fromStack(stack);

type ContainerDefinition = {
  Name: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  ReadonlyRootFilesystem?: boolean;
  MountPoints?: { ContainerPath: string; SourceVolume: string }[];
  HealthCheck?: { Command: string[] };
  LogConfiguration?: { LogDriver: string };
};
const containers = new Map<string, ContainerDefinition>(
  Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((task) => {
    const container = task.Properties.ContainerDefinitions[0] as ContainerDefinition;
    return [container.Name, container];
  }),
);

describe('Compute', () => {
  it('runs one Fargate service per app on a cluster with Container Insights, named in Cloud Map', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    template.resourceCountIs('AWS::ECS::Service', apps.length);
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'dev.patient-management.internal' });
    for (const app of apps) {
      template.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: app.name,
        LaunchType: 'FARGATE',
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
        DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      });
      template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: app.name });
    }
  });

  it.each(apps.map((app) => [app.name, app] as const))('%s: wires every secret of its schema from Secrets Manager', (name, app) => {
    const container = containers.get(name)!;
    const secretNames = (container.Secrets ?? []).map((entry) => entry.Name).sort();
    const expected = app.variables
      .filter((variable) => isSecretVariable(variable.name, variable.description))
      .map((variable) => variable.name)
      .filter((variable) => variable !== 'DB_PASSWORD' || app.databaseName !== undefined)
      .sort();
    expect({ name, secretNames }).toEqual({ name, secretNames: expected });
    const plainNames = (container.Environment ?? []).map((entry) => entry.Name);
    expect({ name, secretsInPlainEnvironment: plainNames.filter((variable) => secretNames.includes(variable)) }).toEqual({
      name,
      secretsInPlainEnvironment: [],
    });
  });

  it.each(apps.map((app) => [app.name, app] as const))('%s: sets only variables its schema knows (plus Node CA bundle)', (name, app) => {
    const known = new Set([...app.variables.map((variable) => variable.name), 'NODE_EXTRA_CA_CERTS']);
    const environment = Object.fromEntries((containers.get(name)!.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
    expect({ name, unknown: Object.keys(environment).filter((variable) => !known.has(variable)) }).toEqual({ name, unknown: [] });
    expect(environment.NODE_ENV).toBe('production');
    if (app.databaseName) {
      expect(environment).toMatchObject({ DB_HOST: 'db.example.internal', DB_USER: `${name}_service`, DB_SSL: 'true' });
    }
    if (app.usesKafka) expect(environment.KAFKA_BROKERS).toBe('b-1.kafka.internal:9096,b-2.kafka.internal:9096');
    for (const [variable, value] of Object.entries(environment)) {
      expect({ name, variable, pointsAtLoopback: /127\.0\.0\.1|localhost/.test(String(value)) }).toEqual({
        name,
        variable,
        pointsAtLoopback: false,
      });
    }
  });

  it('points the gateway at every service by its Cloud Map name', () => {
    const environment = Object.fromEntries((containers.get('gateway')!.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
    expect(environment).toMatchObject({
      PATIENT_SERVICE_URL: 'http://patient.dev.patient-management.internal:4000',
      BILLING_SERVICE_URL: 'http://billing.dev.patient-management.internal:4001',
      AUTH_JWKS_URL: 'http://auth.dev.patient-management.internal:4005/.well-known/jwks.json',
    });
    const patient = Object.fromEntries((containers.get('patient')!.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
    expect(patient.BILLING_GRPC_URL).toBe('billing.dev.patient-management.internal:9001');
  });

  it("trusts X-Forwarded-For at the gateway from the ALB's (public) subnets and at every service from the gateway's (private) subnets", () => {
    const cidrs = (subnets: { ipv4CidrBlock: string }[]) => subnets.map((subnet) => subnet.ipv4CidrBlock).join(',');
    for (const [name, container] of containers) {
      const environment = Object.fromEntries((container.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
      const expected = cidrs(name === 'gateway' ? vpc.publicSubnets : vpc.privateSubnets);
      expect({ name, trusted: environment.TRUSTED_PROXIES }).toEqual({ name, trusted: expected });
      expect(expected).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+(,\d+\.\d+\.\d+\.\d+\/\d+)+$/);
    }
  });

  it("gives the patient service its field-encryption keys as secrets and only the key id in plain", () => {
    const patient = containers.get('patient')!;
    const plain = Object.fromEntries((patient.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
    expect(plain.PATIENT_ENCRYPTION_KEY_ID).toBe('k1');
    expect((patient.Secrets ?? []).map((entry) => entry.Name)).toEqual(expect.arrayContaining(['PATIENT_ENCRYPTION_KEYS', 'PATIENT_BLIND_INDEX_KEY']));
    for (const other of ['auth', 'billing', 'gateway']) {
      expect((containers.get(other)!.Secrets ?? []).map((entry) => entry.Name)).not.toContain('PATIENT_ENCRYPTION_KEYS');
    }
  });

  it('runs every container with a read-only root file system, a writable /tmp volume, a health check and CloudWatch logs', () => {
    for (const [name, container] of containers) {
      expect({
        name,
        readOnly: container.ReadonlyRootFilesystem,
        tmp: container.MountPoints,
        health: container.HealthCheck?.Command,
        logs: container.LogConfiguration?.LogDriver,
      }).toEqual({
        name,
        readOnly: true,
        tmp: [{ ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'tmp' }],
        health: ['CMD', 'node', 'healthcheck.js', '/health/live'],
        logs: 'awslogs',
      });
    }
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(apps.length);
    expect(logGroups.every((group) => group.Properties.KmsKeyId && group.Properties.RetentionInDays === 30)).toBe(true);
  });

  it('gives task roles no permissions: the apps call no AWS API', () => {
    const taskRoles = Object.values(template.findResources('AWS::ECS::TaskDefinition')).map(
      (task) => task.Properties.TaskRoleArn['Fn::GetAtt'][0] as string,
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const attachedToTaskRoles = policies.filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => taskRoles.includes(role.Ref)),
    );
    expect(attachedToTaskRoles).toEqual([]);
  });

  it('scales every service on CPU within its bounds', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', apps.length);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 70,
      }),
    });
  });

  it('opens a service port only to the services whose schema points at it', () => {
    const groupOf = (name: string) => stack.resolve(compute.services.get(name as never)!.securityGroup.securityGroupId);
    const rules = (name: string) =>
      Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: groupOf(name) } }))
        .map((rule) => `${rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0].replace(/^Compute(\w+?)SecurityGroup.*/, '$1')}:${rule.Properties.FromPort}`)
        .sort();
    expect(rules('patient')).toEqual(['Gateway:4000']);
    expect(rules('billing')).toEqual(['Gateway:4001', 'Patient:9001']);
    expect(rules('auth')).toEqual(expect.arrayContaining(['Gateway:4005']));
    expect(rules('gateway')).toEqual([]);
  });

  it('lets only the apps whose schema uses a data store reach it', () => {
    const names = (peers: ec2.IConnectable[]) =>
      peers.map((peer) => [...compute.services.values()].find((service) => service.securityGroup === peer)!.app.name).sort();
    expect(names(reachers.database)).toEqual(apps.filter((app) => app.databaseName).map((app) => app.name).sort());
    expect(names(reachers.kafka)).toEqual(apps.filter((app) => app.usesKafka).map((app) => app.name).sort());
    expect(names(reachers.redis)).toEqual(apps.filter((app) => app.usesRedis).map((app) => app.name).sort());
  });
});
