import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { environmentSettings } from '../environments';
import { constructTestStack } from '../testing/test-stack';
import { Edge } from '.';

function synth(environment: string, certificateArn?: string) {
  const { stack, vpc, logKey, settings } = constructTestStack(environment);
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'GatewayTask');
  task.addContainer('gateway', {
    containerName: 'gateway',
    image: ecs.ContainerImage.fromRegistry('example/gateway'),
    portMappings: [{ containerPort: 4004 }],
  });
  const gateway = new ecs.FargateService(stack, 'Gateway', { cluster, taskDefinition: task });
  const edgeSettings = environmentSettings(environment, { certificateArn }).edge;
  const edge = new Edge(stack, 'Edge', {
    vpc,
    settings: edgeSettings,
    environmentName: settings.name,
    retainData: settings.retainData,
    accessLogRetentionDays: settings.logRetentionDays,
    logKey,
    logRetentionDays: settings.logRetentionDays,
    publicService: gateway,
    containerName: 'gateway',
    containerPort: 4004,
  });
  return { template: Template.fromStack(stack), stack, edge, gateway };
}

const CERTIFICATE = 'arn:aws:acm:eu-central-1:123456789012:certificate/abc';

describe('Edge', () => {
  const dev = synth('dev');
  const prod = synth('prod', CERTIFICATE);

  it('has exactly one load balancer, internet-facing, in the public subnets, dropping invalid headers', () => {
    dev.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });

  it('forwards only to the gateway target group (IP targets on the gateway port, /health/ready)', () => {
    dev.template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    dev.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 4004,
      TargetType: 'ip',
      HealthCheckPath: '/health/ready',
    });
    dev.template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'gateway', ContainerPort: 4004, TargetGroupArn: { Ref: Match.stringLikeRegexp('^EdgeGateway') } }],
    });
    const listeners = Object.values(dev.template.findResources('AWS::ElasticLoadBalancingV2::Listener'));
    expect(listeners.map((listener) => [listener.Properties.Protocol, listener.Properties.DefaultActions])).toEqual([
      ['HTTP', [{ Type: 'forward', TargetGroupArn: { Ref: expect.stringMatching(/^EdgeGateway/) } }]],
    ]);
    dev.template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
  });

  it('serves HTTPS with the certificate and redirects HTTP when a certificate is configured', () => {
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      Port: 443,
      Certificates: [{ CertificateArn: CERTIFICATE }],
      SslPolicy: Match.stringLikeRegexp('TLS'),
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^EdgeGateway') } }],
    });
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) }],
    });
  });

  it('warns when production is synthesized without a certificate, and only then', () => {
    const httpOnlyProd = synth('prod');
    Annotations.fromStack(httpOnlyProd.stack).hasWarning('/Test-prod/Edge', Match.stringLikeRegexp('needs HTTPS'));
    Annotations.fromStack(prod.stack).hasNoWarning('/Test-prod/Edge', Match.stringLikeRegexp('needs HTTPS'));
    Annotations.fromStack(dev.stack).hasNoWarning('/Test-dev/Edge', Match.anyValue());
  });

  it('lets the load balancer reach the gateway on its port only', () => {
    const gatewayGroup = dev.stack.resolve(dev.gateway.connections.securityGroups[0].securityGroupId);
    const ingress = Object.values(
      dev.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: gatewayGroup } }),
    ).map((rule) => [rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0], rule.Properties.FromPort, rule.Properties.ToPort]);
    expect(ingress).toEqual([[expect.stringMatching(/^EdgeLoadBalancerSecurityGroup/), 4004, 4004]]);
  });

  it('writes access logs to an encrypted, versioned, private bucket that refuses plain HTTP', () => {
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    dev.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('puts AWS WAF in front in production only, with tokens redacted from its logs', () => {
    dev.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    prod.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    prod.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
    prod.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });
});
