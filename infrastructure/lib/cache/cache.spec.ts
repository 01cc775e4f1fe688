import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { constructTestStack } from '../testing/test-stack';
import { Cache, REDIS_PORT } from '.';

function synth(environment: string) {
  const { stack, vpc, settings } = constructTestStack(environment);
  const cache = new Cache(stack, 'Cache', { vpc, settings: settings.cache, retainData: settings.retainData });
  cache.allowFrom(new ec2.SecurityGroup(stack, 'GatewayService', { vpc }), 'gateway service');
  return { template: Template.fromStack(stack), stack, cache };
}

describe('Cache', () => {
  const dev = synth('dev');

  it('runs a Redis replication group encrypted at rest (own KMS key) and in transit (TLS required)', () => {
    dev.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'redis',
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      Port: REDIS_PORT,
    });
  });

  it('takes its AUTH token from Secrets Manager (a dynamic reference, never a literal)', () => {
    const group = Object.values(dev.template.findResources('AWS::ElastiCache::ReplicationGroup'))[0];
    expect(JSON.stringify(group.Properties.AuthToken)).toMatch(/\{\{resolve:secretsmanager:/);
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
    });
  });

  it('gives the services one secret REDIS_URL: rediss:// with the token and the primary endpoint', () => {
    const url = Object.values(
      dev.template.findResources('AWS::SecretsManager::Secret', { Properties: { SecretString: Match.anyValue() } }),
    )[0];
    const parts = JSON.stringify(url.Properties.SecretString);
    expect(parts).toContain('rediss://:');
    expect(parts).toContain('{{resolve:secretsmanager:');
    expect(parts).toContain('PrimaryEndPoint.Address');
    expect(url.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CacheKey/), 'Arn'] });
  });

  it('is one node in dev and a replica with Multi-AZ failover in prod', () => {
    dev.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
    });
    synth('prod').template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      CacheNodeType: 'cache.m7g.large',
    });
  });

  it('lives in the isolated subnets and accepts only the peers given to allowFrom on its port', () => {
    const isolated = dev.stack.resolve(
      (dev.stack.node.findChild('Vpc') as ec2.Vpc).isolatedSubnets.map((subnet) => subnet.subnetId),
    );
    dev.template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: isolated });
    const group = dev.stack.resolve(dev.cache.securityGroup.securityGroupId);
    const ingress = Object.values(
      dev.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: group } }),
    ).map((rule) => [rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0], rule.Properties.FromPort]);
    expect(ingress).toEqual([[expect.stringMatching(/^GatewayService/), REDIS_PORT]]);
  });
});
